using System.Data.Common;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// The request side of snapshots. A volume snapshot is an action of type snapshot on its volume (queued under the volume, so
/// it runs in the volume's order and locks it meanwhile); a delete of either kind is a destroy action on the snapshot, so
/// its files go now, in the background, and the action says if they could not.
/// </summary>
public sealed class SnapshotIntake(Db db, Ids ids, TimeProvider time, ActionQueue queue)
{
    public const string VolumeActionType = "snapshot";

    public async Task<(SnapshotRow Snapshot, ActionRow Action)> SnapshotVolume(Caller caller, string volumeId, string name, IReadOnlyList<string> tags)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var result = await db.Write(async (c, t) =>
        {
            var volume = await VolumesSql.Find(c, caller.AccountId, volumeId, t) ?? throw ApiError.NotFound();
            if (volume.Locked)
                throw ApiError.Conflict($"Volume {volume.Id} is locked: another action on it is in progress.");
            if (volume.Status != VolumeStatus.Available)
                throw ApiError.Conflict($"Volume {volume.Id} is {volume.Status}; only an available volume can be snapshotted.");
            // Snapshots take the host's disk like volumes do, so the operator's volume_limit caps them too (no new limit to set).
            var user = await UsersSql.ById(c, caller.AccountId, t) ?? throw ApiError.Unauthorized();
            var held = await SnapshotsSql.CountOfVolumes(c, t, caller.AccountId);
            if (held + 1 > user.VolumeLimit)
                throw ApiError.Invalid("name", $"You hold {held} volume snapshots, the most your volume_limit of {user.VolumeLimit} allows; delete some first.");
            var snapshot = new SnapshotRow
            {
                Id = ids.New(), AccountId = caller.AccountId, Name = name, ResourceId = volume.Id, ResourceType = "volume",
                RegionSlug = volume.RegionSlug, MinDiskSize = volume.SizeGigabytes, Status = Snapshots.Creating, CreatedAt = now,
                FilesystemType = volume.FilesystemType, FilesystemLabel = volume.FilesystemLabel,
                TagsJson = System.Text.Json.JsonSerializer.Serialize(tags.Distinct().Order(StringComparer.Ordinal)),
            };
            await SnapshotsSql.InsertVolumeSnapshot(c, t, snapshot, tags);
            await Events.Snapshot(c, t, "snapshot.created", snapshot, now);
            volume.Locked = true;
            await VolumesSql.Update(c, t, volume);
            var action = await StartedActions.Insert(c, t, ids, caller.AccountId, volume.Id, "volume", VolumeActionType, volume.RegionSlug,
                new ActionParams(Name: name, SnapshotId: snapshot.Id), now);
            return (snapshot, action);
        });
        queue.Enqueue([volumeId]);
        return result;
    }

    /// <summary>
    /// The snapshot is gone for its owner at once and a destroy action removes its files. One still being made, or one a
    /// volume is being made from, is a 409 (volumes made from it earlier are full copies and do not need it).
    /// </summary>
    public async Task Delete(Caller caller, string id)
    {
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            var snapshot = await SnapshotsSql.Find(c, caller.AccountId, id, t) ?? throw ApiError.NotFound();
            if (snapshot.Status == Snapshots.Creating)
                throw ApiError.Conflict($"Snapshot {id} is still being made; delete it once it is available.");
            if (await SnapshotsSql.VolumesBeingMadeFrom(c, t, id) is > 0 and var volumes)
                throw ApiError.Conflict($"{volumes} volume(s) are being made from snapshot {id}; delete it once they are available.");
            ActionParams parameters;
            if (snapshot.ResourceType == "vm")
            {
                await ImagesSql.Delete(c, t, caller.AccountId, id);
                await Events.Record(c, t, caller.AccountId, "image.deleted", "image", id, null, now);
                parameters = new ActionParams(ImageId: id);
            }
            else
            {
                await SnapshotsSql.DeleteVolumeSnapshot(c, t, caller.AccountId, id);
                parameters = new ActionParams(SnapshotId: id);
            }
            await Events.Snapshot(c, t, "snapshot.deleted", snapshot, now);
            await StartedActions.Insert(c, t, ids, caller.AccountId, id, SnapshotWork.ResourceType, SnapshotWork.Destroy, snapshot.RegionSlug, parameters, now);
        });
        queue.Enqueue([id]);
    }
}
