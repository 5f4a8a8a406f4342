using CloudsFor.Store;

namespace CloudsFor.Http;

/// <summary>
/// Rate limits per caller across all servers on one PostgreSQL store. Every second each server reports the windows of
/// the callers it counted (table rate_usage, a row per caller, window and server) and reads what the others reported
/// for the callers it has seen in the last minute; <see cref="RateLimits"/> adds that to its own count. So a caller
/// gets its budget across all servers, give or take what the other servers let through in the last second (and the
/// first second a caller reaches a server). Not run with SQLite: one server counts alone.
/// </summary>
public sealed class RateShare(Db db, RateLimits limits, TimeProvider time, ILogger<RateShare> log) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    readonly string server = Model.ThisProcess.Id;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var lastPrune = 0L;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, time, stopping);
                var now = time.GetUtcNow().ToUnixTimeSeconds();
                await Exchange(now);
                if (now - lastPrune >= 600)
                {
                    lastPrune = now;
                    await db.Write((c, t) => RateUsageSql.Prune(c, t, now - 3600));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The budgets stay local until the store answers again.
                log.LogWarning("sharing rate-limit counts failed: {Reason}", e.Message);
            }
        }
    }

    async Task Exchange(long now)
    {
        var reports = new List<RateUsage>();
        var recent = new Dictionary<string, RateLimits.Windows>();
        foreach (var (caller, windows) in limits.Callers)
            lock (windows)
            {
                if (windows.Changed)
                {
                    windows.Changed = false;
                    reports.Add(new RateUsage(caller, "hour", windows.HourStart, windows.HourUsed));
                    reports.Add(new RateUsage(caller, "minute", windows.MinuteStart, windows.MinuteUsed));
                }
                if (now - windows.LastSeen < 60)
                    recent[caller] = windows;
            }
        if (reports.Count > 0)
            await db.Write((c, t) => RateUsageSql.Report(c, t, server, reports, now));
        if (recent.Count == 0)
            return;
        var others = (await db.Read(c => RateUsageSql.Others(c, server, recent.Keys.ToList(), now))).ToLookup(o => o.Caller);
        foreach (var (caller, windows) in recent)
        {
            var seen = others[caller].ToList();
            lock (windows)
            {
                windows.HourOthers = (int)seen.Where(o => o.Kind == "hour").Sum(o => o.Used);
                windows.MinuteOthers = (int)seen.Where(o => o.Kind == "minute").Sum(o => o.Used);
            }
        }
    }
}
