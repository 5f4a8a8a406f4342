namespace CloudsFor.Model;

/// <summary>An SSH key of an account, as stored: the key's text as given (type, base64, comment) and its two fingerprints.</summary>
public sealed class SshKeyRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Name { get; set; } = "";
    public string PublicKey { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public string FingerprintSha256 { get; init; } = "";
    public string CreatedAt { get; init; } = "";
}
