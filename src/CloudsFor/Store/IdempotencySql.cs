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

/// <summary>
/// The Idempotency-Key of the request a write runs for (<see cref="Db.Claim"/>). The writer records it, as an answer not
/// yet known (status 0), in the transaction of every write the request makes: if the answer is then lost (the disk
/// failed the next commit, the server crashed), a retry with the key finds the work done instead of doing it twice.
/// </summary>
public sealed class IdempotencyClaim(string accountId, string key, string requestHash, string now, string notBefore)
{
    public string AccountId { get; } = accountId;
    public string Key { get; } = key;
    public string RequestHash { get; } = requestHash;
    public string Now { get; } = now;
    public string NotBefore { get; } = notBefore;

    /// <summary>Set when the request has its answer: work it started in the background is not the request's own.</summary>
    public bool Ended { get; set; }
}

public static class IdempotencySql
{
    /// <summary>Status of a claim whose answer never got saved.</summary>
    public const int AnswerLost = 0;

    /// <summary>Records the claim with the request's write; an unexpired answer or claim of the key stays as it is.</summary>
    public static Task Claim(DbConnection c, DbTransaction t, IdempotencyClaim claim) =>
        c.ExecuteAsync("""
            INSERT INTO idempotency_keys (account_id, key, request_hash, status, body, location, created_at)
            VALUES (@AccountId, @Key, @RequestHash, 0, @body, NULL, @Now)
            ON CONFLICT(account_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = 0, body = excluded.body,
                location = NULL, created_at = excluded.created_at
            WHERE idempotency_keys.created_at < @NotBefore
            """, new { claim.AccountId, claim.Key, claim.RequestHash, body = Array.Empty<byte>(), claim.Now, claim.NotBefore }, t);

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
