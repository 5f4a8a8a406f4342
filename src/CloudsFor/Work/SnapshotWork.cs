using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// The worker's side of snapshots: the destroy action of a deleted snapshot (its row is gone already; only the files are
/// left), and the end of a volume's snapshot action, which <see cref="VolumeWork"/> records through <see cref="Made"/>.
/// </summary>
public sealed class SnapshotWork(Db db, IComputeDriver driver, TimeProvider time)
{
    public const string ResourceType = "snapshot";
    public const string Destroy = "destroy";

    public async Task Execute(ActionRow action, CancellationToken ct)
    {
        var p = ActionParams.FromJson(action.Params);
        if (p.ImageId is { } imageId)
            await driver.EnsureImageDestroyed(imageId, ct);
        else
            await driver.EnsureVolumeSnapshotDestroyed(p.SnapshotId!, ct);
        await End(action, ActionStatus.Completed, null);
    }

    /// <summary>
    /// Files that could not be removed stay (a VM snapshot's are removed at the next start, see Reconciler.RemoveOrphans);
    /// the errored action tells the owner why.
    /// </summary>
    public Task Fail(ActionRow action, string error) => End(action, ActionStatus.Errored, error);

    async Task End(ActionRow action, string status, string? error)
    {
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            action.Status = status;
            action.Error = error;
            action.CompletedAt = now;
            await ActionsSql.Finish(c, t, action);
            await Events.Action(c, t, action, now);
        });
    }

    /// <summary>Records, in the volume action's transaction, that a volume snapshot was made (with its file's bytes) or failed.</summary>
    public static async Task Made(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string accountId, string snapshotId,
        bool made, long bytes, string now)
    {
        if (await SnapshotsSql.FinishVolumeSnapshot(c, t, snapshotId, made ? Snapshots.Available : Snapshots.Errored, bytes) == 0)
            return;
        if (await SnapshotsSql.Find(c, accountId, snapshotId, t) is { } snapshot)
            await Events.Snapshot(c, t, "snapshot.updated", snapshot, now);
    }
}
