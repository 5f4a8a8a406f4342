using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>
/// snapshot_id of POST /volumes: the volume starts as a full copy of one of the caller's volume snapshots, in its region,
/// at least its size, with its file system (a file system field that says otherwise is refused rather than ignored).
/// </summary>
public static class VolumeSource
{
    public static async Task<SnapshotRow?> Read(JsonBody body, Caller caller, Db db, long? size)
    {
        if (body.String("snapshot_id") is not { } id)
            return null;
        var snapshot = await db.Read(c => SnapshotsSql.Find(c, caller.AccountId, id));
        if (snapshot is not { ResourceType: "volume" })
        {
            body.Error("snapshot_id", $"'{id}' is not one of your volume snapshots; GET /snapshots?resource_type=volume lists them");
            return null;
        }
        if (snapshot.Status != Snapshots.Available)
        {
            body.Error("snapshot_id", $"Snapshot {id} is {snapshot.Status}; only an available snapshot makes volumes.");
            return null;
        }
        if (body.String("region") is { } region && region != snapshot.RegionSlug)
            body.Error("region", $"Snapshot {id} is in {snapshot.RegionSlug}; a volume made from it is made there (leave region out or give {snapshot.RegionSlug}).");
        if (size < snapshot.MinDiskSize)
            body.Error("size_gigabytes", $"Snapshot {id} is of a {snapshot.MinDiskSize} GiB volume; a volume made from it needs at least {snapshot.MinDiskSize}.");
        if (body.String("filesystem_type") is { } type && type != snapshot.FilesystemType)
            body.Error("filesystem_type", $"A volume made from snapshot {id} has its file system ({snapshot.FilesystemType}); leave filesystem_type out.");
        if (body.String("filesystem_label") is { } label && label != snapshot.FilesystemLabel)
            body.Error("filesystem_label", $"A volume made from snapshot {id} has its label ('{snapshot.FilesystemLabel}'); leave filesystem_label out.");
        return snapshot;
    }
}
