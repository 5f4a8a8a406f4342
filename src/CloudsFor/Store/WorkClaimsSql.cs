using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>Claims on resources' actions with leases (see Work.WorkClaims). Times are stored ISO strings, compared as text.</summary>
public static class WorkClaimsSql
{
    /// <summary>Takes the claim if it is free, ours, or its lease ran out; true when this server holds it now.</summary>
    public static async Task<bool> TryClaim(DbConnection c, DbTransaction t, string resourceId, string server, string now, string until) =>
        await c.ExecuteAsync("""
            INSERT INTO work_claims (resource_id, server, lease_until) VALUES (@resourceId, @server, @until)
            ON CONFLICT (resource_id) DO UPDATE SET server = excluded.server, lease_until = excluded.lease_until
                WHERE work_claims.server = excluded.server OR work_claims.lease_until < @now
            """, new { resourceId, server, now, until }, t) == 1;

    /// <summary>Moves the leases of every claim the server holds on; returns the resources it still holds.</summary>
    public static async Task<IReadOnlyList<string>> Renew(DbConnection c, DbTransaction t, string server, string until)
    {
        await c.ExecuteAsync("UPDATE work_claims SET lease_until = @until WHERE server = @server", new { server, until }, t);
        return (await c.QueryAsync<string>("SELECT resource_id FROM work_claims WHERE server = @server", new { server }, t)).AsList();
    }

    public static Task<int> Release(DbConnection c, DbTransaction t, string resourceId, string server) =>
        c.ExecuteAsync("DELETE FROM work_claims WHERE resource_id = @resourceId AND server = @server", new { resourceId, server }, t);

    /// <summary>For a store only one server uses (SQLite): the claims of its previous process are its own to take back.</summary>
    public static Task<int> ReleaseAll(DbConnection c, DbTransaction t) => c.ExecuteAsync("DELETE FROM work_claims", transaction: t);

    /// <summary>Resources with unfinished actions that no server holds a live claim on: a dead server's work, or work nobody started.</summary>
    public static async Task<IReadOnlyList<string>> Unclaimed(DbConnection c, string now) =>
        (await c.QueryAsync<string>("""
            SELECT resource_id FROM actions a WHERE status = 'in-progress'
                AND NOT EXISTS (SELECT 1 FROM work_claims w WHERE w.resource_id = a.resource_id AND w.lease_until >= @now)
            GROUP BY resource_id ORDER BY MIN(rowid)
            """, new { now })).AsList();
}
