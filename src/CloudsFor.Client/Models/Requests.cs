namespace CloudsFor.Client.Models;

// Request bodies. A null property is left out of the JSON (the server treats it as not given).

/// <summary>Give <c>Name</c> for one VM (or use <see cref="VmsClient.CreateManyAsync"/> with names).</summary>
public sealed record CreateVmRequest(string Name, string Size, string Image)
{
    public string? Region { get; init; }
    /// <summary>Each a key id or fingerprint of the account's <see cref="SshKeysClient"/> keys, or an OpenSSH public key line.</summary>
    public IReadOnlyList<string>? SshKeys { get; init; }
    public string? UserData { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>The body of POST /vms with <c>names</c>: up to 10 VMs alike.</summary>
public sealed record CreateVmsRequest(IReadOnlyList<string> Names, string Size, string Image)
{
    public string? Region { get; init; }
    public IReadOnlyList<string>? SshKeys { get; init; }
    public string? UserData { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>PUT /vms/{id}: what is given changes, the rest stays.</summary>
public sealed record UpdateVmRequest(string? Name = null, IReadOnlyList<string>? Tags = null);

/// <summary>
/// A VM action: <c>Type</c> one of <see cref="VmActionType"/>, with the parameters that type takes. <c>SshKeys</c> (rebuild only)
/// replaces the VM's keys; like <see cref="CreateVmRequest.SshKeys"/>, each item is a key id, a fingerprint or a public key.
/// </summary>
public sealed record VmActionRequest(string Type, string? Name = null, string? Size = null, bool? Disk = null, string? Image = null,
    IReadOnlyList<string>? SshKeys = null);

public sealed record CreateUserRequest(string Username, string Password, string Email, int? VmLimit = null, bool? Admin = null);

/// <summary>PUT /users/{id}: only the fields given change. A limit below what the user has now is allowed; it only refuses new creates.</summary>
public sealed record UpdateUserRequest(string? Email = null, bool? Admin = null, int? VmLimit = null, int? VolumeLimit = null, long? VolumeGigabytesLimit = null);

public sealed record CreateTokenRequest(string Name, IReadOnlyList<string> Scopes, long? ExpiresInSeconds = null);

public sealed record CreateDomainRequest(string Name, string? IpAddress = null, int? Ttl = null);

/// <summary>A whole record, as POST makes one and PUT replaces one.</summary>
public sealed record DomainRecordRequest(string Type, string Name, string Data, int? Priority = null, int? Port = null, int? Ttl = null,
    int? Weight = null, int? Flags = null, string? Tag = null);

/// <summary>POST /images: a custom image, downloaded by the server from <c>Url</c>, or without one waiting for its upload.</summary>
public sealed record CreateImageRequest(string Name, string? Url = null, string? Distribution = null, string? Description = null, string? Region = null,
    IReadOnlyList<string>? Tags = null);

public sealed record UpdateImageRequest(string? Name = null, string? Description = null);

/// <summary>PUT /tokens/{id}.</summary>
public sealed record UpdateTokenRequest(string Name);

/// <summary>POST /account/keys: <c>PublicKey</c> is one line of a .pub file.</summary>
public sealed record CreateSshKeyRequest(string Name, string PublicKey);

/// <summary>PUT /account/keys/{key}: only the name changes.</summary>
public sealed record UpdateSshKeyRequest(string Name);
