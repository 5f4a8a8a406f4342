using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

public static class ActionsSql
{
    const string Columns = "id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at";

    public static Task<ActionRow?> Find(DbConnection c, string accountId, string id) =>
        Prepared.One<ActionRow>(c, $"SELECT {Columns} FROM actions WHERE id = @id AND account_id = @accountId", new { id, accountId });

    public static Task<ActionRow?> FindAny(DbConnection c, string id, DbTransaction? t = null) =>
        Prepared.One<ActionRow>(c, $"SELECT {Columns} FROM actions WHERE id = @id", new { id }, t);

    static string Where(string? resourceId) => "account_id = @accountId" + (resourceId is null ? "" : " AND resource_id = @resourceId");

    public static Task<long> Count(DbConnection c, string accountId, string? resourceId) =>
        c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM actions WHERE {Where(resourceId)}", new { accountId, resourceId });

    public static async Task<IReadOnlyList<ActionRow>> Page(DbConnection c, string accountId, string? resourceId, int offset, int limit) =>
        (await c.QueryAsync<ActionRow>(
            $"SELECT {Columns} FROM actions WHERE {Where(resourceId)} ORDER BY started_at, id LIMIT @limit OFFSET @offset",
            new { accountId, resourceId, offset, limit })).AsList();

    /// <summary>Ids of the resources with unfinished actions: where the worker resumes after a restart.</summary>
    public static async Task<IReadOnlyList<string>> ResourcesInProgress(DbConnection c) =>
        (await c.QueryAsync<string>("SELECT resource_id FROM actions WHERE status = 'in-progress' GROUP BY resource_id ORDER BY MIN(rowid)")).AsList();

    /// <summary>
    /// The unfinished action of one resource that the store accepted first (rowid follows commit order, where
    /// started_at has only seconds and ids are random): the one the worker must run next.
    /// </summary>
    public static Task<ActionRow?> NextInProgress(DbConnection c, string resourceId) =>
        Prepared.One<ActionRow>(c, $"SELECT {Columns} FROM actions WHERE resource_id = @resourceId AND status = 'in-progress' ORDER BY rowid LIMIT 1",
            new { resourceId });

    public static Task Insert(DbConnection c, DbTransaction t, ActionRow action) =>
        Prepared.Execute(c, t, $"""
            INSERT INTO actions ({Columns}) VALUES (@Id, @AccountId, @ResourceId, @ResourceType, @Type, @Status, @Params, @RegionSlug,
                @Error, @Attempts, @StartedAt, @CompletedAt)
            """, action);

    public static Task Finish(DbConnection c, DbTransaction t, ActionRow action) =>
        Prepared.Execute(c, t, "UPDATE actions SET status = @Status, error = @Error, completed_at = @CompletedAt WHERE id = @Id", action);

    public static Task CountAttempt(DbConnection c, DbTransaction t, string id) =>
        Prepared.Execute(c, t, "UPDATE actions SET attempts = attempts + 1 WHERE id = @id", new { id });
}
