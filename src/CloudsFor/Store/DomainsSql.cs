using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

public static class DomainsSql
{
    const string Columns = "name, account_id, ttl, serial, created_at";
    static readonly string Shown = Columns + ", " + TagsSql.TagsOf("domain", "domains.name", "domains.account_id") + " AS tags_json";

    public static Task<DomainRow?> Find(DbConnection c, string accountId, string name, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<DomainRow>($"SELECT {Shown} FROM domains WHERE name = @name AND account_id = @accountId", new { name, accountId }, t);

    /// <summary>For the DNS server, which answers for every account.</summary>
    public static Task<DomainRow?> FindAny(DbConnection c, string name) =>
        c.QuerySingleOrDefaultAsync<DomainRow>($"SELECT {Columns} FROM domains WHERE name = @name", new { name });

    public static async Task<IReadOnlyList<(string Name, long Serial)>> Serials(DbConnection c) =>
        (await c.QueryAsync<(string, long)>("SELECT name, serial FROM domains")).AsList();

    static string Where(string? tagName) => "account_id = @accountId" + (tagName is null ? "" : " AND " + TagsSql.Carrying("domain", "name"));

    public static Task<long> Count(DbConnection c, string accountId, string? tagName = null) =>
        c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM domains WHERE {Where(tagName)}", new { accountId, tagName });

    public static async Task<IReadOnlyList<DomainRow>> Page(DbConnection c, string accountId, int offset, int limit, string? tagName = null) =>
        (await c.QueryAsync<DomainRow>(
            $"SELECT {Shown} FROM domains WHERE {Where(tagName)} ORDER BY created_at, name LIMIT @limit OFFSET @offset",
            new { accountId, limit, offset, tagName })).AsList();

    /// <summary>
    /// The accounts holding this name, a zone above it or a zone below it: a zone inside another
    /// account's zone would take over its names, so those are as unavailable as the name itself.
    /// </summary>
    public static async Task<IReadOnlyList<string>> HoldersAround(DbConnection c, DbTransaction t, string name)
    {
        var labels = name.Split('.');
        var above = Enumerable.Range(1, labels.Length - 1).Select(i => string.Join('.', labels[i..])).ToList();
        return (await c.QueryAsync<string>(
            Dialect.For(c, "SELECT DISTINCT account_id FROM domains WHERE name = @name OR name IN @above OR name LIKE @below"),
            new { name, above = above.ToArray(), below = "%." + name }, t)).AsList();
    }

    public static Task Insert(DbConnection c, DbTransaction t, DomainRow domain) =>
        c.ExecuteAsync($"INSERT INTO domains ({Columns}) VALUES (@Name, @AccountId, @Ttl, @Serial, @CreatedAt)", domain, t);

    public static Task SetSerial(DbConnection c, DbTransaction t, string name, long serial) =>
        c.ExecuteAsync("UPDATE domains SET serial = @serial WHERE name = @name", new { name, serial }, t);

    public static Task<int> Delete(DbConnection c, DbTransaction t, string accountId, string name) =>
        c.ExecuteAsync("DELETE FROM domains WHERE name = @name AND account_id = @accountId", new { name, accountId }, t);
}
