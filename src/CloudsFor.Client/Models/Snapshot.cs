namespace CloudsFor.Client.Models;

/// <summary>
/// A snapshot of a VM (<c>ResourceType</c> vm; its id is its image's) or of a volume. <c>Status</c> is creating until a volume
/// snapshot's action has made it; <c>SizeGigabytes</c> is what its file takes, <c>MinDiskSize</c> the size it was taken of.
/// </summary>
public sealed record Snapshot(string Id, string Name, DateTimeOffset? CreatedAt, IReadOnlyList<string> Regions, string ResourceId, string ResourceType,
    int MinDiskSize, double SizeGigabytes, IReadOnlyList<string> Tags, string Status);

/// <summary>The answer to snapshotting a volume: the snapshot (status creating) and the id of the volume's snapshot action.</summary>
public sealed record SnapshotCreated(Snapshot Snapshot, string ActionId);

public sealed record CreateSnapshotRequest(string Name)
{
    public IReadOnlyList<string>? Tags { get; init; }
}

public static class SnapshotResourceType
{
    public const string Vm = "vm";
    public const string Volume = "volume";
}
