using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

// Classes, not positional records: Dapper maps an empty result of a UNION by the columns' declared types, which SQLite leaves unknown.
public sealed class TagRow
{
    public string AccountId { get; init; } = "";
    public string Name { get; init; } = "";
    public string CreatedAt { get; init; } = "";
}

/// <summary>How many resources of one type carry a tag, and the one tagged last ("TAGGED_AT ID").</summary>
public sealed class TagCount
{
    public string Tag { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public long Count { get; init; }
    public string Last { get; init; } = "";
}

/// <summary>
/// Tags of an account and what carries them: VMs in vm_tags (scoped through the VM's account; a VM being deleted no longer
/// counts), everything else in resource_tags (see Migrations; a volume being deleted no longer counts either).
/// </summary>
public static class TagsSql
{
    public static Task<TagRow?> Find(DbConnection c, string accountId, string name, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<TagRow>("SELECT account_id, name, created_at FROM tags WHERE account_id = @accountId AND name = @name",
            new { accountId, name }, t);

    public static Task<long> Count(DbConnection c, string accountId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tags WHERE account_id = @accountId", new { accountId });

    public static async Task<IReadOnlyList<TagRow>> Page(DbConnection c, string accountId, int offset, int limit) =>
        (await c.QueryAsync<TagRow>(
            "SELECT account_id, name, created_at FROM tags WHERE account_id = @accountId ORDER BY created_at, name LIMIT @limit OFFSET @offset",
            new { accountId, limit, offset })).AsList();

    /// <summary>The counts of the named tags, per resource type; SQLite takes the other columns from the row MAX picks.</summary>
    public static async Task<IReadOnlyList<TagCount>> Counts(DbConnection c, string accountId, IReadOnlyCollection<string> names, DbTransaction? t = null) =>
        (await c.QueryAsync<TagCount>(Dialect.For(c, """
            SELECT vm_tags.tag, 'vm' AS resource_type, COUNT(*) AS count, MAX(vm_tags.tagged_at || ' ' || vm_tags.vm_id) AS last
                FROM vm_tags JOIN vms ON vms.id = vm_tags.vm_id
                WHERE vm_tags.tag IN @names AND vms.account_id = @accountId AND vms.deleted_at IS NULL GROUP BY vm_tags.tag
            UNION ALL
            SELECT tag, resource_type, COUNT(*) AS count, MAX(tagged_at || ' ' || resource_id) AS last
                FROM resource_tags WHERE account_id = @accountId AND tag IN @names
                    AND NOT (resource_type = 'volume' AND resource_id IN (SELECT id FROM volumes WHERE account_id = @accountId AND deleted_at IS NOT NULL))
                GROUP BY tag, resource_type
            """), new { accountId, names = names.ToArray() }, t)).AsList();

    /// <summary>Makes the tag unless the account has it; true when it is new.</summary>
    public static async Task<bool> Insert(DbConnection c, DbTransaction t, string accountId, string name, string now) =>
        await c.ExecuteAsync("INSERT INTO tags (account_id, name, created_at) VALUES (@accountId, @name, @now) ON CONFLICT DO NOTHING",
            new { accountId, name, now }, t) > 0;

    public static Task<int> Delete(DbConnection c, DbTransaction t, string accountId, string name) =>
        c.ExecuteAsync("DELETE FROM tags WHERE account_id = @accountId AND name = @name", new { accountId, name }, t);

    /// <summary>Tags one resource the caller has checked is the account's; true when it was not tagged so before.</summary>
    public static async Task<bool> Tag(DbConnection c, DbTransaction t, string accountId, string name, string type, string id, string now) =>
        await (type == "vm"
            ? c.ExecuteAsync("INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES (@id, @name, @now) ON CONFLICT DO NOTHING", new { id, name, now }, t)
            : c.ExecuteAsync("""
                INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES (@accountId, @name, @type, @id, @now)
                    ON CONFLICT DO NOTHING
                """, new { accountId, name, type, id, now }, t)) > 0;

    /// <summary>Takes the tag off one resource; true when it had it.</summary>
    public static async Task<bool> Untag(DbConnection c, DbTransaction t, string accountId, string name, string type, string id) =>
        await (type == "vm"
            ? c.ExecuteAsync("DELETE FROM vm_tags WHERE vm_id = @id AND tag = @name", new { id, name }, t)
            : c.ExecuteAsync("DELETE FROM resource_tags WHERE account_id = @accountId AND tag = @name AND resource_type = @type AND resource_id = @id",
                new { accountId, name, type, id }, t)) > 0;

    /// <summary>Everything of the account that carries the tag (VMs being deleted too, so nothing keeps it), as (type, id).</summary>
    public static async Task<IReadOnlyList<(string Type, string Id)>> Tagged(DbConnection c, DbTransaction t, string accountId, string name) =>
        (await c.QueryAsync<(string, string)>("""
            SELECT 'vm', vm_id FROM vm_tags WHERE tag = @name AND vm_id IN (SELECT id FROM vms WHERE account_id = @accountId)
            UNION ALL
            SELECT resource_type, resource_id FROM resource_tags WHERE account_id = @accountId AND tag = @name
            """, new { accountId, name }, t)).AsList();

    /// <summary>The condition a list of images, domains or volumes adds for ?tag_name= (its id column named by <paramref name="idColumn"/>).</summary>
    public static string Carrying(string type, string idColumn, string accountParameter = "@accountId", string tagParameter = "@tagName") =>
        $"{idColumn} IN (SELECT resource_id FROM resource_tags WHERE account_id = {accountParameter} AND resource_type = '{type}' AND tag = {tagParameter})";

    /// <summary>A column expression: the tags of the row's resource as a JSON list (a string, also inside json_object), sorted.</summary>
    public static string TagsOf(string type, string idColumn, string accountColumn) =>
        $"('' || (SELECT json_group_array(tag ORDER BY tag) FROM resource_tags WHERE account_id = {accountColumn} AND resource_type = '{type}' AND resource_id = {idColumn}))";
}
