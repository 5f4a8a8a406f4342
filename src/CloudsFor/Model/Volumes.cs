using System.Text.RegularExpressions;

namespace CloudsFor.Model;

public static partial class Volumes
{
    public const int DefaultLimit = 100;
    public const long DefaultGigabytesLimit = 16_384;
    public const int MaxSizeGigabytes = 16_384;
    /// <summary>Virtio-blk slots a VM gives to volumes (DigitalOcean's limit too).</summary>
    public const int MaxPerVm = 7;

    public static readonly string[] FilesystemTypes = ["ext4", "xfs", "none"];

    // Lowercase, so a name is one name in every client; it becomes a file-system-free id only, never a path.
    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    public static partial Regex NamePattern();

    /// <summary>ext4 labels hold 16 bytes, xfs labels 12: the smaller, so a label fits either.</summary>
    [GeneratedRegex("^[A-Za-z0-9_.-]{0,12}$")]
    public static partial Regex LabelPattern();
}

public static class VolumeStatus
{
    public const string Creating = "creating";
    public const string Available = "available";
    public const string Errored = "errored";
}

/// <summary>A volume as stored; <see cref="Locked"/> is true while an action on it is in progress.</summary>
public sealed class VolumeRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public int SizeGigabytes { get; set; }
    public string RegionSlug { get; init; } = "";
    public string FilesystemType { get; init; } = "none";
    public string FilesystemLabel { get; init; } = "";
    public string Status { get; set; } = VolumeStatus.Creating;
    public bool Locked { get; set; }
    public string? VmId { get; set; }
    public string? TargetVmId { get; set; }
    public string CreatedAt { get; init; } = "";
    public string? DeletedAt { get; init; }
    /// <summary>JSON list of the volume's tags, read with the row.</summary>
    public string TagsJson { get; init; } = "[]";
}
