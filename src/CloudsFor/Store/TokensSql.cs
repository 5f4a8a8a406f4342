using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>A token with what its user is: all that authenticating a request by token needs.</summary>
public sealed class TokenOwner
{
    public string Scopes { get; init; } = "";
    public string? ExpiresAt { get; init; }
    public string UserId { get; init; } = "";
    public string Username { get; init; } = "";
    public bool IsAdmin { get; init; }
}

public static class TokensSql
{
    const string Columns = "id, user_id, name, scopes, secret_hash, created_at, expires_at";

    /// <summary>The token with this secret and its user, in one query.</summary>
    public static Task<TokenOwner?> OwnerBySecretHash(DbConnection c, string secretHash) =>
        Prepared.One<TokenOwner>(c, """
            SELECT t.scopes, t.expires_at, u.id AS user_id, u.username, u.is_admin
            FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = @secretHash
            """, new { secretHash });

    /// <summary>Replaces a token's stored hash, when its secret was hashed the old way.</summary>
    public static Task Rehash(DbConnection c, DbTransaction t, string oldHash, string newHash) =>
        c.ExecuteAsync("UPDATE tokens SET secret_hash = @newHash WHERE secret_hash = @oldHash", new { oldHash, newHash }, t);

    public static Task<TokenRow?> ById(DbConnection c, string userId, string id, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<TokenRow>($"SELECT {Columns} FROM tokens WHERE id = @id AND user_id = @userId", new { id, userId }, t);

    public static Task<long> Count(DbConnection c, string userId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tokens WHERE user_id = @userId", new { userId });

    public static async Task<IReadOnlyList<TokenRow>> Page(DbConnection c, string userId, int offset, int limit) =>
        (await c.QueryAsync<TokenRow>(
            $"SELECT {Columns} FROM tokens WHERE user_id = @userId ORDER BY created_at, id LIMIT @limit OFFSET @offset",
            new { userId, limit, offset })).AsList();

    public static Task Insert(DbConnection c, DbTransaction t, TokenRow token) =>
        c.ExecuteAsync($"INSERT INTO tokens ({Columns}) VALUES (@Id, @UserId, @Name, @Scopes, @SecretHash, @CreatedAt, @ExpiresAt)", token, t);

    public static Task Rename(DbConnection c, DbTransaction t, string userId, string id, string name) =>
        c.ExecuteAsync("UPDATE tokens SET name = @name WHERE id = @id AND user_id = @userId", new { id, userId, name }, t);

    public static Task<int> Delete(DbConnection c, DbTransaction t, string userId, string id) =>
        c.ExecuteAsync("DELETE FROM tokens WHERE id = @id AND user_id = @userId", new { id, userId }, t);
}
