using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>The filters of GET /domains/{name}/records; scoped to the caller's account and the domain.</summary>
public sealed record DomainRecordFilter(string AccountId, string DomainName, string? Type = null, string? Name = null);

public static class DomainRecordsSql
{
    const string Columns = "id, domain_name, account_id, type, name, data, priority, port, ttl, weight, flags, tag, created_at";

    static (string Where, DynamicParameters Args) Where(DomainRecordFilter filter)
    {
        var where = "account_id = @AccountId AND domain_name = @DomainName";
        if (filter.Type is not null) where += " AND type = @Type";
        if (filter.Name is not null) where += " AND name = @Name";
        return (where, new DynamicParameters(filter));
    }

    public static Task<long> Count(DbConnection c, DomainRecordFilter filter)
    {
        var (where, args) = Where(filter);
        return c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM domain_records WHERE {where}", args);
    }

    public static async Task<IReadOnlyList<DomainRecordRow>> Page(DbConnection c, DomainRecordFilter filter, int offset, int limit, DbTransaction? t = null)
    {
        var (where, args) = Where(filter);
        args.Add("offset", offset);
        args.Add("limit", limit);
        return (await c.QueryAsync<DomainRecordRow>(
            $"SELECT {Columns} FROM domain_records WHERE {where} ORDER BY created_at, id LIMIT @limit OFFSET @offset", args, t)).AsList();
    }

    public static Task<IReadOnlyList<DomainRecordRow>> All(DbConnection c, string accountId, string domainName, DbTransaction? t = null) =>
        Page(c, new DomainRecordFilter(accountId, domainName), 0, int.MaxValue, t);

    /// <summary>The records of a page of domains, in one query.</summary>
    public static async Task<ILookup<string, DomainRecordRow>> OfDomains(DbConnection c, string accountId, IEnumerable<string> domainNames) =>
        (await c.QueryAsync<DomainRecordRow>(Dialect.For(c,
            $"SELECT {Columns} FROM domain_records WHERE account_id = @accountId AND domain_name IN @domainNames ORDER BY created_at, id"),
            new { accountId, domainNames = domainNames.ToArray() })).ToLookup(r => r.DomainName);

    /// <summary>For the DNS server: a zone's records, whoever holds it.</summary>
    public static async Task<IReadOnlyList<DomainRecordRow>> OfZone(DbConnection c, string domainName) =>
        (await c.QueryAsync<DomainRecordRow>(
            $"SELECT {Columns} FROM domain_records WHERE domain_name = @domainName ORDER BY created_at, id", new { domainName })).AsList();

    public static Task<DomainRecordRow?> Find(DbConnection c, string accountId, string domainName, string id, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<DomainRecordRow>(
            $"SELECT {Columns} FROM domain_records WHERE id = @id AND domain_name = @domainName AND account_id = @accountId",
            new { id, domainName, accountId }, t);

    public static Task Insert(DbConnection c, DbTransaction t, DomainRecordRow record) =>
        c.ExecuteAsync($"""
            INSERT INTO domain_records ({Columns})
            VALUES (@Id, @DomainName, @AccountId, @Type, @Name, @Data, @Priority, @Port, @Ttl, @Weight, @Flags, @Tag, @CreatedAt)
            """, record, t);

    public static Task<int> Update(DbConnection c, DbTransaction t, DomainRecordRow record) =>
        c.ExecuteAsync("""
            UPDATE domain_records SET type = @Type, name = @Name, data = @Data, priority = @Priority, port = @Port, ttl = @Ttl,
                weight = @Weight, flags = @Flags, tag = @Tag
            WHERE id = @Id AND account_id = @AccountId
            """, record, t);

    public static Task<int> Delete(DbConnection c, DbTransaction t, string accountId, string id) =>
        c.ExecuteAsync("DELETE FROM domain_records WHERE id = @id AND account_id = @accountId", new { id, accountId }, t);
}
