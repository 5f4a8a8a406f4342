using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>The first answer to a POST with an Idempotency-Key, kept 24 hours so a retry gets it again.</summary>
public sealed class SavedResponse
{
    public string RequestHash { get; init; } = "";
    public int Status { get; init; }
    public byte[] Body { get; init; } = [];
    public string? Location { get; init; }
}

public static class IdempotencySql
{
    public static Task<SavedResponse?> Find(DbConnection c, string accountId, string key, string notBefore) =>
        c.QuerySingleOrDefaultAsync<SavedResponse>(
            "SELECT request_hash, status, body, location FROM idempotency_keys WHERE account_id = @accountId AND key = @key AND created_at >= @notBefore",
            new { accountId, key, notBefore });

    public static async Task Save(DbConnection c, DbTransaction t, string accountId, string key, SavedResponse response, string now, string notBefore)
    {
        await c.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < @notBefore", new { notBefore }, t);
        await c.ExecuteAsync("""
            INSERT INTO idempotency_keys (account_id, key, request_hash, status, body, location, created_at)
            VALUES (@accountId, @key, @RequestHash, @Status, @Body, @Location, @now)
            ON CONFLICT(account_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
                body = excluded.body, location = excluded.location, created_at = excluded.created_at
            """, new { accountId, key, response.RequestHash, response.Status, response.Body, response.Location, now }, t);
    }
}
