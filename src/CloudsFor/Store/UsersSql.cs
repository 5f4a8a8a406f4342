using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

public static class UsersSql
{
    const string Columns = "id, username, email, password_hash, is_admin, vm_limit, volume_limit, volume_gigabytes_limit, created_at";

    public static Task<UserRow?> ByUsername(DbConnection c, string username, DbTransaction? t = null) =>
        Prepared.One<UserRow>(c, $"SELECT {Columns} FROM users WHERE username = @username", new { username }, t);

    public static Task<UserRow?> ById(DbConnection c, string id, DbTransaction? t = null) =>
        Prepared.One<UserRow>(c, $"SELECT {Columns} FROM users WHERE id = @id", new { id }, t);

    public static Task<long> Count(DbConnection c) => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");

    public static async Task<IReadOnlyList<UserRow>> Page(DbConnection c, int offset, int limit) =>
        (await c.QueryAsync<UserRow>($"SELECT {Columns} FROM users ORDER BY created_at, id LIMIT @limit OFFSET @offset", new { limit, offset })).AsList();

    public static Task<bool> UsernameTaken(DbConnection c, string username, DbTransaction t) =>
        c.ExecuteScalarAsync<bool>("SELECT EXISTS(SELECT 1 FROM users WHERE username = @username)", new { username }, t);

    public static Task Insert(DbConnection c, DbTransaction t, UserRow user) =>
        c.ExecuteAsync($"INSERT INTO users ({Columns}) VALUES (@Id, @Username, @Email, @PasswordHash, @IsAdmin, @VmLimit, @VolumeLimit, @VolumeGigabytesLimit, @CreatedAt)", user, t);

    /// <summary>Returns how many users were changed: 1, or 0 when no user has that name.</summary>
    public static Task<int> SetPasswordHash(DbConnection c, DbTransaction t, string username, string passwordHash) =>
        c.ExecuteAsync("UPDATE users SET password_hash = @passwordHash WHERE username = @username", new { username, passwordHash }, t);

    /// <summary>What an operator may change after creation (PUT /users/{id}).</summary>
    public static Task Update(DbConnection c, DbTransaction t, UserRow user) =>
        c.ExecuteAsync("""
            UPDATE users SET email = @Email, is_admin = @IsAdmin, vm_limit = @VmLimit, volume_limit = @VolumeLimit,
                volume_gigabytes_limit = @VolumeGigabytesLimit
            WHERE id = @Id
            """, user, t);

    public static Task Delete(DbConnection c, DbTransaction t, string id) =>
        c.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id }, t);
}
