using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>One change as stored: <see cref="Resource"/> is the resource's JSON as the API showed it then, null when it went away.</summary>
public sealed class EventRow
{
    public long Id { get; set; }
    public string AccountId { get; set; } = "";
    public string Type { get; set; } = "";
    public string ResourceType { get; set; } = "";
    public string ResourceId { get; set; } = "";
    public string? Resource { get; set; }
    public string CreatedAt { get; set; } = "";
}

/// <summary>The ids the store still holds: a stream can resume after any id from First - 1 to Last (0 and 0 when it holds none).</summary>
public sealed record EventBounds(long First, long Last);

public static class EventsSql
{
    const string Columns = "id, account_id, type, resource_type, resource_id, resource, created_at";

    public static Task Insert(DbConnection c, DbTransaction t, string accountId, string type, string resourceType, string resourceId, Utf8Text? resource, string createdAt) =>
        Prepared.Execute(c, t, "INSERT INTO events (account_id, type, resource_type, resource_id, resource, created_at) VALUES (@accountId, @type, @resourceType, @resourceId, @resource, @createdAt)",
            new { accountId, type, resourceType, resourceId, resource, createdAt });

    /// <summary>Every account's events after <paramref name="after"/>, oldest first: what the hub fans out.</summary>
    public static Task<List<EventRow>> After(DbConnection c, long after, int limit) =>
        Prepared.Query<EventRow>(c, $"SELECT {Columns} FROM events WHERE id > @after ORDER BY id LIMIT @limit", new { after, limit });

    /// <summary>One account's events after <paramref name="after"/>, oldest first: what a resumed stream catches up with.</summary>
    public static Task<List<EventRow>> OfAccountAfter(DbConnection c, string accountId, long after, int limit) =>
        Prepared.Query<EventRow>(c, $"SELECT {Columns} FROM events WHERE account_id = @accountId AND id > @after ORDER BY id LIMIT @limit",
            new { accountId, after, limit });

    // Each bound in a query of its own: SQLite reads a lone MIN or MAX as one step down the index, but both in one
    // query as a scan of every event.
    public static Task<EventBounds> Bounds(DbConnection c) =>
        Prepared.One<EventBounds>(c, "SELECT COALESCE((SELECT MIN(id) FROM events), 0) AS first, COALESCE((SELECT MAX(id) FROM events), 0) AS last")!;

    /// <summary>
    /// Deletes up to <paramref name="batch"/> of the oldest events written before <paramref name="before"/>, never the newest
    /// (whose id keeps the next one from going back); returns how many went. Ids follow time, so the oldest rows are the ones to look at.
    /// </summary>
    public static Task<int> Prune(DbConnection c, DbTransaction t, string before, int batch) =>
        c.ExecuteAsync("""
            DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT @batch)
                AND created_at < @before AND id < (SELECT MAX(id) FROM events)
            """, new { before, batch }, t);
}
