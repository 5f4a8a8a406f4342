using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>One server's count of one caller's window (kind hour or minute, starting at WindowStart, Unix seconds).</summary>
public sealed record RateUsage(string Caller, string Kind, long WindowStart, long Used);

/// <summary>What each server counted of each caller's rate-limit windows (see Http.RateShare); PostgreSQL only.</summary>
public static class RateUsageSql
{
    public static async Task Report(DbConnection c, DbTransaction t, string server, IReadOnlyList<RateUsage> usages, long now)
    {
        foreach (var u in usages)
            await Prepared.Execute(c, t, """
                INSERT INTO rate_usage (caller, kind, server, window_start, used, reported_at) VALUES (@Caller, @Kind, @server, @WindowStart, @Used, @now)
                ON CONFLICT (caller, kind, server) DO UPDATE SET window_start = excluded.window_start, used = excluded.used, reported_at = excluded.reported_at
                """, new { u.Caller, u.Kind, server, u.WindowStart, u.Used, now });
    }

    /// <summary>The other servers' counts of these callers' windows that are still open.</summary>
    public static async Task<IReadOnlyList<RateUsage>> Others(DbConnection c, string server, IReadOnlyList<string> callers, long now) =>
        (await c.QueryAsync<RateUsage>(Dialect.For(c, """
            SELECT caller, kind, window_start, used FROM rate_usage
            WHERE caller IN @callers AND server <> @server
                AND window_start > @now - CASE kind WHEN 'hour' THEN 3600 ELSE 60 END
            """), new { callers = callers.ToArray(), server, now })).AsList();

    public static Task<int> Prune(DbConnection c, DbTransaction t, long before) =>
        c.ExecuteAsync("DELETE FROM rate_usage WHERE reported_at < @before", new { before }, t);
}
