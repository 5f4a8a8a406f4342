namespace CloudsFor.Client.Models;

public sealed record Account(string Uuid, string Username, string Email, string Status, int VmLimit, AccountUsage Usage, int VolumeLimit = 0,
    long VolumeGigabytesLimit = 0);

/// <summary>What the account's VMs and volumes use now: memory in MiB, disk and volume gigabytes in GiB.</summary>
public sealed record AccountUsage(long Vms, long Vcpus, long Memory, long Disk, long Volumes = 0, long VolumeGigabytes = 0);

public sealed record User(string Id, string Username, string Email, string Status, bool Admin, int VmLimit, DateTimeOffset? CreatedAt, int VolumeLimit = 0,
    long VolumeGigabytesLimit = 0);

/// <summary>
/// An API token. <see cref="Secret"/> (the JSON's <c>token</c>) is set only in the answer that created it:
/// the server keeps a hash, never the secret. A retried creation answers the token without it, and <see cref="Message"/> says so.
/// </summary>
public sealed record ApiToken(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("token")] string? Secret = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Message { get; init; }
}

/// <summary>The values of <see cref="ApiToken.Scopes"/>.</summary>
public static class TokenScope
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
}
