using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

public static class SshKeysSql
{
    const string Columns = "id, account_id, name, public_key, fingerprint, fingerprint_sha256, created_at";

    /// <summary>
    /// The account's key by <paramref name="column"/> (id, fingerprint or fingerprint_sha256, from <see cref="SshKeys.Reference"/>).
    /// Two keys may share an MD5 fingerprint only if someone made them to: the older one answers.
    /// </summary>
    public static Task<SshKeyRow?> Find(DbConnection c, string accountId, (string Column, string Value) by, DbTransaction? t = null) =>
        c.QueryFirstOrDefaultAsync<SshKeyRow>(
            $"SELECT {Columns} FROM ssh_keys WHERE account_id = @accountId AND {ColumnOf(by.Column)} = @value ORDER BY created_at, id LIMIT 1",
            new { accountId, value = by.Value }, t);

    static string ColumnOf(string column) => column switch
    {
        "id" or "fingerprint" or "fingerprint_sha256" => column,
        _ => throw new ArgumentException($"not a key column: {column}"),
    };

    public static Task<long> Count(DbConnection c, string accountId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ssh_keys WHERE account_id = @accountId", new { accountId });

    public static async Task<IReadOnlyList<SshKeyRow>> Page(DbConnection c, string accountId, int offset, int limit) =>
        (await c.QueryAsync<SshKeyRow>(
            $"SELECT {Columns} FROM ssh_keys WHERE account_id = @accountId ORDER BY created_at, id LIMIT @limit OFFSET @offset",
            new { accountId, limit, offset })).AsList();

    public static Task Insert(DbConnection c, DbTransaction t, SshKeyRow key) =>
        c.ExecuteAsync($"INSERT INTO ssh_keys ({Columns}) VALUES (@Id, @AccountId, @Name, @PublicKey, @Fingerprint, @FingerprintSha256, @CreatedAt)", key, t);

    public static Task Rename(DbConnection c, DbTransaction t, string accountId, string id, string name) =>
        c.ExecuteAsync("UPDATE ssh_keys SET name = @name WHERE id = @id AND account_id = @accountId", new { id, accountId, name }, t);

    public static Task<int> Delete(DbConnection c, DbTransaction t, string accountId, string id) =>
        c.ExecuteAsync("DELETE FROM ssh_keys WHERE id = @id AND account_id = @accountId", new { id, accountId }, t);
}
