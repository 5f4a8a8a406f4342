using System.Collections.Concurrent;

namespace CloudsFor.Http;

public sealed record RateLimitSettings(int PerHour, int PerMinute);

/// <summary>
/// Fixed windows per caller (the user, or the client address before authentication): an hourly
/// and a per-minute budget, either turned off by 0. The headers describe the window closest to
/// running out; a request past a budget is a 429 with Retry-After.
/// </summary>
public sealed class RateLimits(RateLimitSettings settings, TimeProvider time)
{
    sealed class Window
    {
        public long Start;
        public int Used;
    }

    readonly ConcurrentDictionary<string, Window> windows = new();
    long lastSweep;

    public async Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        var caller = ctx.Features.Get<Caller>();
        var key = caller is not null ? "u:" + caller.UserId : "ip:" + ctx.Connection.RemoteIpAddress;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        Sweep(now);
        var hour = Take(key + ":h", 3600, settings.PerHour, now);
        var minute = Take(key + ":m", 60, settings.PerMinute, now);
        var tightest = new[] { hour, minute }.Where(w => w is not null).OrderBy(w => w!.Value.Remaining).FirstOrDefault();
        if (tightest is { } shown)
        {
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.Headers["RateLimit-Limit"] = shown.Limit.ToString();
                ctx.Response.Headers["RateLimit-Remaining"] = Math.Max(0, shown.Remaining).ToString();
                ctx.Response.Headers["RateLimit-Reset"] = shown.Reset.ToString();
                return Task.CompletedTask;
            });
            var exceeded = new[] { hour, minute }.Where(w => w is { Remaining: < 0 }).Select(w => w!.Value.Reset).DefaultIfEmpty(0).Max();
            if (exceeded > 0)
            {
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.Headers.RetryAfter = Math.Max(1, exceeded - now).ToString();
                    return Task.CompletedTask;
                });
                throw ApiError.TooManyRequests();
            }
        }
        await next(ctx);
    }

    readonly record struct Budget(int Limit, int Remaining, long Reset);

    Budget? Take(string key, int seconds, int limit, long now)
    {
        if (limit <= 0)
            return null;
        var window = windows.GetOrAdd(key, _ => new Window { Start = now });
        lock (window)
        {
            if (now - window.Start >= seconds)
            {
                window.Start = now;
                window.Used = 0;
            }
            window.Used++;
            return new Budget(limit, limit - window.Used, window.Start + seconds);
        }
    }

    /// <summary>Forgets windows that ended, so memory follows active callers, not all callers ever seen.</summary>
    void Sweep(long now)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (now - last < 300 || Interlocked.CompareExchange(ref lastSweep, now, last) != last)
            return;
        foreach (var (key, window) in windows)
            if (now - window.Start >= 3600)
                windows.TryRemove(key, out _);
    }
}
