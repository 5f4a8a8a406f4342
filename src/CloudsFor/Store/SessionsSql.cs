using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>A browser session as stored: its secret only as a keyed hash.</summary>
public sealed class SessionRow
{
    public string SecretHash { get; init; } = "";
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string ExpiresAt { get; init; } = "";
    public string IdleExpiresAt { get; set; } = "";
}

/// <summary>A session with what its user is: all that authenticating a request by cookie needs.</summary>
public sealed class SessionOwner
{
    public string Id { get; init; } = "";
    public string ExpiresAt { get; init; } = "";
    public string IdleExpiresAt { get; init; } = "";
    public string UserId { get; init; } = "";
    public string Username { get; init; } = "";
    public bool IsAdmin { get; init; }
}

public static class SessionsSql
{
    public static Task<SessionOwner?> OwnerBySecretHash(DbConnection c, string secretHash) =>
        Prepared.One<SessionOwner>(c, """
            SELECT s.id, s.expires_at, s.idle_expires_at, u.id AS user_id, u.username, u.is_admin
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = @secretHash
            """, new { secretHash });

    public static Task Insert(DbConnection c, DbTransaction t, SessionRow session) =>
        c.ExecuteAsync("""
            INSERT INTO sessions (secret_hash, id, user_id, created_at, expires_at, idle_expires_at)
            VALUES (@SecretHash, @Id, @UserId, @CreatedAt, @ExpiresAt, @IdleExpiresAt)
            """, session, t);

    public static Task Touch(DbConnection c, DbTransaction t, string secretHash, string idleExpiresAt) =>
        c.ExecuteAsync("UPDATE sessions SET idle_expires_at = @idleExpiresAt WHERE secret_hash = @secretHash AND idle_expires_at < @idleExpiresAt",
            new { secretHash, idleExpiresAt }, t);

    public static Task Delete(DbConnection c, DbTransaction t, string secretHash) =>
        c.ExecuteAsync("DELETE FROM sessions WHERE secret_hash = @secretHash", new { secretHash }, t);

    /// <summary>Sessions past either expiry are of no use to anyone: removed whenever a new one is made.</summary>
    public static Task DeleteExpired(DbConnection c, DbTransaction t, string now) =>
        c.ExecuteAsync("DELETE FROM sessions WHERE idle_expires_at <= @now OR expires_at <= @now", new { now }, t);
}
