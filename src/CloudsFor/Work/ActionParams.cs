using System.Text.Json;

namespace CloudsFor.Work;

/// <summary>
/// What an action needs besides its type, stored with it so a resumed action does the same thing. SshKeys are public keys
/// (references resolved when the action was asked for), so deleting a key afterwards does not change what a rebuild installs.
/// </summary>
public sealed record ActionParams(string? Name = null, string? SizeSlug = null, bool Disk = false, string? ImageId = null, string? SnapshotId = null,
    IReadOnlyList<string>? SshKeys = null, string? VmId = null, int? SizeGigabytes = null)
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ActionParams FromJson(string json) => JsonSerializer.Deserialize<ActionParams>(json, Json) ?? new ActionParams();
}
