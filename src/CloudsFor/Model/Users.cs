namespace CloudsFor.Model;

/// <summary>A user; each user is its own account, so <see cref="Id"/> is also the account id.</summary>
public sealed class UserRow
{
    public string Id { get; init; } = "";
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public bool IsAdmin { get; init; }
    public int VmLimit { get; init; }
    public int VolumeLimit { get; init; } = Volumes.DefaultLimit;
    public long VolumeGigabytesLimit { get; init; } = Volumes.DefaultGigabytesLimit;
    public string CreatedAt { get; init; } = "";
}

public sealed class TokenRow
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string Name { get; set; } = "";
    public string Scopes { get; init; } = "";
    public string SecretHash { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? ExpiresAt { get; init; }
}

public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly string[] All = [Read, Write, Admin];

    /// <summary>What a user's password grants: everything the user may do.</summary>
    public static string[] OfUser(bool isAdmin) => isAdmin ? [Read, Write, Admin] : [Read, Write];
}
