namespace CloudsFor.Client.Models;

/// <summary>
/// A block storage volume. <c>VmIds</c> holds the VM it is attached to (empty when detached); <c>Status</c> is creating until
/// its create action ends, then available (or errored).
/// </summary>
public sealed record Volume(string Id, string Name, string Description, int SizeGigabytes, Region? Region, string RegionSlug,
    IReadOnlyList<string> VmIds, string FilesystemType, string FilesystemLabel, IReadOnlyList<string> Tags, string Status, DateTimeOffset? CreatedAt);

/// <summary>The answer to creating a volume: the volume (status creating) and its create action's id.</summary>
public sealed record VolumeCreated(Volume Volume, string ActionId);

/// <summary>Region may be null only with <see cref="SnapshotId"/>: a volume made from a snapshot is made in the snapshot's region.</summary>
public sealed record CreateVolumeRequest(string Name, int SizeGigabytes, string? Region)
{
    /// <summary>A volume snapshot to copy; the volume gets its file system and label (leave those unset).</summary>
    public string? SnapshotId { get; init; }
    public string? Description { get; init; }
    /// <summary>ext4, xfs or none (the default).</summary>
    public string? FilesystemType { get; init; }
    public string? FilesystemLabel { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>attach (VmId), detach (VmId optional) or resize (SizeGigabytes); VolumeName and Region name the volume for /volumes/actions.</summary>
public sealed record VolumeActionRequest(string Type, string? VmId = null, int? SizeGigabytes = null, string? VolumeName = null, string? Region = null);

public static class VolumeActionType
{
    public const string Attach = "attach";
    public const string Detach = "detach";
    public const string Resize = "resize";
}
