using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// The worker's side of volume actions (<see cref="ActionWorker"/> runs them in its per-resource order): asks the driver,
/// then records the result with the action in one transaction; on failure puts the volume back as it was.
/// </summary>
public sealed class VolumeWork(Db db, IComputeDriver driver, Catalog catalog, TimeProvider time)
{
    public async Task Execute(ActionRow action, CancellationToken ct)
    {
        var volume = await db.Read(c => VolumesSql.FindAny(c, action.ResourceId))
            ?? throw new DriverException($"The volume {action.ResourceId} is gone from the store.");
        var p = ActionParams.FromJson(action.Params);
        Action<VolumeRow> apply = _ => { };
        long snapshotBytes = 0;
        switch (action.Type)
        {
            case VolumeIntake.Create:
                await driver.EnsureVolumeCreated(new VolumeSpec(volume.Id, volume.SizeGigabytes, volume.FilesystemType, volume.FilesystemLabel, p.SnapshotId), ct);
                apply = v => v.Status = VolumeStatus.Available;
                break;
            case "attach":
                await driver.EnsureVolumeAttached(volume.Id, p.VmId!, ct);
                apply = v => v.VmId = p.VmId;
                break;
            case "detach":
                await driver.EnsureVolumeDetached(volume.Id, p.VmId!, ct);
                apply = v => v.VmId = null;
                break;
            case "resize":
                await driver.ResizeVolume(volume.Id, p.SizeGigabytes!.Value, volume.VmId, ct);
                apply = v => v.SizeGigabytes = p.SizeGigabytes!.Value;
                break;
            case VolumeIntake.Destroy:
                await driver.EnsureVolumeDestroyed(volume.Id, ct);
                break;
            case SnapshotIntake.VolumeActionType:
                snapshotBytes = await driver.SnapshotVolume(volume.Id, p.SnapshotId!, ct);
                break;
            default: throw new DriverException($"Unknown volume action type {action.Type}.");
        }
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            if (action.Type == SnapshotIntake.VolumeActionType)
                await SnapshotWork.Made(c, t, action.AccountId, p.SnapshotId!, made: true, snapshotBytes, now);
            if (action.Type == VolumeIntake.Destroy)
                await VolumesSql.Remove(c, t, volume.Id);
            else if (await VolumesSql.FindAny(c, volume.Id, t) is { DeletedAt: null } current)
            {
                apply(current);
                current.Locked = false;
                await VolumesSql.Update(c, t, current);
                await Events.Volume(c, t, "volume.updated", (await VolumesSql.FindAny(c, volume.Id, t))!, catalog, now);
                // The VM shows volume_ids: it changed too.
                if (p.VmId is not null)
                    await Events.VmChanged(c, t, p.VmId, (await VmsSql.FindAny(c, p.VmId, t))?.Status ?? "", catalog, now);
            }
            action.Status = ActionStatus.Completed;
            action.CompletedAt = now;
            await ActionsSql.Finish(c, t, action);
            await Events.Action(c, t, action, now);
        });
    }

    /// <summary>Ends an action errored: a failed create leaves the volume errored; a failed attach, detach or delete leaves it as it was.</summary>
    public async Task Fail(ActionRow action, string error)
    {
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            if (action.Type == SnapshotIntake.VolumeActionType)
                await SnapshotWork.Made(c, t, action.AccountId, ActionParams.FromJson(action.Params).SnapshotId!, made: false, 0, now);
            if (await VolumesSql.FindAny(c, action.ResourceId, t) is { } volume)
            {
                volume.Locked = false;
                volume.TargetVmId = volume.VmId;
                if (action.Type == VolumeIntake.Create)
                    volume.Status = VolumeStatus.Errored;
                await VolumesSql.Update(c, t, volume);
                if (action.Type == VolumeIntake.Destroy)
                    await VolumesSql.Restore(c, t, volume.Id);
                await Events.Volume(c, t, "volume.updated", (await VolumesSql.FindAny(c, volume.Id, t))!, catalog, now);
            }
            action.Status = ActionStatus.Errored;
            action.Error = error;
            action.CompletedAt = now;
            await ActionsSql.Finish(c, t, action);
            await Events.Action(c, t, action, now);
        });
    }
}
