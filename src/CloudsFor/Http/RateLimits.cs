using System.Collections.Concurrent;
using System.Globalization;

namespace CloudsFor.Http;

public sealed record RateLimitSettings(int PerHour, int PerMinute);

/// <summary>
/// Fixed windows per caller (the user, or the client address before authentication): an hourly
/// and a per-minute budget, either turned off by 0. The headers describe the window closest to
/// running out; a request past a budget is a 429 with Retry-After. With several servers on one
/// database, each also counts what the others report of the caller's windows (<see cref="RateShare"/>).
/// </summary>
public sealed class RateLimits(RateLimitSettings settings, TimeProvider time)
{
    /// <summary>Both windows of one caller, counted under one lock.</summary>
    public sealed class Windows
    {
        public long HourStart, MinuteStart;
        public int HourUsed, MinuteUsed;
        /// <summary>The caller's requests in the other servers' current windows, as last reported (0 with one server).</summary>
        public int HourOthers, MinuteOthers;
        /// <summary>Counted here since the last report to the other servers.</summary>
        public bool Changed;
        public long LastSeen;
    }

    readonly record struct Budget(int Limit, int Remaining, long Reset);

    const string LimitHeader = "RateLimit-Limit", RemainingHeader = "RateLimit-Remaining", ResetHeader = "RateLimit-Reset";

    /// <summary>The headers this sets on every answer (with Retry-After on a 429).</summary>
    public static readonly string[] Headers = [LimitHeader, RemainingHeader, ResetHeader, "Retry-After"];

    // Keyed by user id (32 hex digits) or by client address (with '.' or ':'), which cannot collide.
    readonly ConcurrentDictionary<string, Windows> callers = new();
    long lastSweep;

    public Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        if (settings.PerHour <= 0 && settings.PerMinute <= 0)
            return next(ctx);
        var key = ctx.Features.Get<Caller>()?.UserId ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "";
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        Sweep(now);
        var windows = callers.GetOrAdd(key, static (_, now) => new Windows { HourStart = now, MinuteStart = now }, now);
        Budget? hour, minute;
        lock (windows)
        {
            hour = Take(ref windows.HourStart, ref windows.HourUsed, windows.HourOthers, 3600, settings.PerHour, now);
            minute = Take(ref windows.MinuteStart, ref windows.MinuteUsed, windows.MinuteOthers, 60, settings.PerMinute, now);
            windows.Changed = true;
            windows.LastSeen = now;
        }
        var shown = (hour, minute) switch
        {
            ({ } h, { } m) => m.Remaining < h.Remaining ? m : h,
            ({ } h, null) => h,
            (null, { } m) => m,
            _ => default,
        };
        var exceeded = Math.Max(hour is { Remaining: < 0 } h1 ? h1.Reset : 0, minute is { Remaining: < 0 } m1 ? m1.Reset : 0);
        // Set at once: ErrorBodies keeps these headers when it clears a failed answer (a 429 among them).
        var headers = ctx.Response.Headers;
        headers[LimitHeader] = shown.Limit.ToString(CultureInfo.InvariantCulture);
        headers[RemainingHeader] = Math.Max(0, shown.Remaining).ToString(CultureInfo.InvariantCulture);
        headers[ResetHeader] = shown.Reset.ToString(CultureInfo.InvariantCulture);
        if (exceeded <= 0)
            return next(ctx);
        headers.RetryAfter = Math.Max(1, exceeded - now).ToString(CultureInfo.InvariantCulture);
        throw ApiError.TooManyRequests();
    }

    /// <summary>The callers counted here, for <see cref="RateShare"/> (lock a caller's windows to read or change them).</summary>
    public IEnumerable<KeyValuePair<string, Windows>> Callers => callers;

    static Budget? Take(ref long start, ref int used, int others, int seconds, int limit, long now)
    {
        if (limit <= 0)
            return null;
        if (now - start >= seconds)
        {
            start = now;
            used = 0;
        }
        used++;
        return new Budget(limit, limit - used - others, start + seconds);
    }

    /// <summary>Forgets callers whose windows all ended, so memory follows active callers, not all callers ever seen.</summary>
    void Sweep(long now)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (now - last < 300 || Interlocked.CompareExchange(ref lastSweep, now, last) != last)
            return;
        foreach (var (key, windows) in callers)
            if (now - windows.HourStart >= 3600 && now - windows.MinuteStart >= 60)
                callers.TryRemove(key, out _);
    }
}
