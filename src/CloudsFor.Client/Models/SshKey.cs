namespace CloudsFor.Client.Models;

/// <summary>
/// A public SSH key of the account. <c>Fingerprint</c> is MD5 in colon hex (as DigitalOcean shows it), <c>FingerprintSha256</c>
/// as OpenSSH prints it (<c>SHA256:…</c>); the id and either fingerprint find the key.
/// </summary>
public sealed record SshKey(string Id, string Name, string PublicKey, string Fingerprint, string FingerprintSha256, DateTimeOffset? CreatedAt);
