namespace CloudsFor.Model;

public static class Snapshots
{
    public const string Creating = "creating";
    public const string Available = "available";
    public const string Errored = "errored";

    public static readonly string[] ResourceTypes = ["vm", "volume"];

    /// <summary>
    /// GiB to two decimals, rounded up so a snapshot that takes any bytes never shows 0 (DigitalOcean shows such
    /// fractions too): what a user pays for is the file, not the disk it came from.
    /// </summary>
    public static double Gigabytes(long bytes) => Math.Ceiling(bytes * 100.0 / (1L << 30)) / 100;
}

/// <summary>
/// A snapshot as /snapshots shows it: a VM snapshot (an image of type snapshot) or a volume snapshot, read by one query
/// over both. The file system fields are a volume snapshot's (what a volume made from it gets).
/// </summary>
public sealed class SnapshotRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Name { get; init; } = "";
    public string ResourceId { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public string RegionSlug { get; init; } = "";
    public int MinDiskSize { get; init; }
    public double SizeGigabytes { get; set; }
    public string Status { get; set; } = Snapshots.Creating;
    public string CreatedAt { get; init; } = "";
    public string FilesystemType { get; init; } = "none";
    public string FilesystemLabel { get; init; } = "";
    public string TagsJson { get; init; } = "[]";
}
