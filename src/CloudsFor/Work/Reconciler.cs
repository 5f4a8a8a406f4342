using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Work;

/// <summary>
/// Compares what the store says with what the driver sees, and makes one step to agree:
/// before the API opens it removes VMs the store does not know (orphans); then, every few seconds, a VM
/// recorded active whose process is gone becomes off (with an errored "observed_off" action saying
/// why), and one recorded off that runs becomes active. VMs with an action in flight are skipped:
/// the worker owns them until it finishes (the power state is written only here and there).
/// </summary>
public sealed class Reconciler(Db db, IComputeDriver driver, Ids ids, Catalog catalog, TimeProvider time, ILogger<Reconciler> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Run before the API accepts requests and the worker resumes, so nothing being made can look like an orphan.</summary>
    public static async Task RemoveOrphans(Db db, IComputeDriver driver, ILogger log)
    {
        var known = (await db.Read(c => c.QueryAsync<string>("SELECT id FROM vms"))).ToHashSet();
        var orphans = await driver.RemoveOrphans(known, CancellationToken.None);
        if (orphans.Count > 0)
            log.LogWarning("removed {Count} VMs that belong to no VM in the store: {Ids}", orphans.Count, string.Join(", ", orphans));
        // Snapshot files of deleted images go here too: at start no snapshot action is half-way (resumed ones redo theirs).
        var images = (await db.Read(c => c.QueryAsync<string>("SELECT id FROM images"))).ToHashSet();
        var removedImages = await driver.RemoveOrphanImages(images, CancellationToken.None);
        if (removedImages.Count > 0)
            log.LogInformation("removed the files of {Count} deleted snapshot images", removedImages.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await Pass(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "reconcile pass failed; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stopping));
    }

    const int Batch = 1000;

    async Task Pass(CancellationToken ct)
    {
        // In batches by id: a pass over 100,000 VMs neither holds one long read (which keeps SQLite from
        // checkpointing its log) nor every row in memory at once.
        for (var after = ""; ; )
        {
            var vms = (await db.Read(c => c.QueryAsync<VmRow>(
                "SELECT id, account_id, status, region_slug FROM vms WHERE id > @after AND locked = 0 AND deleted_at IS NULL AND status IN ('active', 'off') " +
                "ORDER BY id LIMIT @Batch", new { after, Batch }))).AsList();
            await Check(vms, ct);
            if (vms.Count < Batch)
                return;
            after = vms[^1].Id;
        }
    }

    async Task Check(IEnumerable<VmRow> vms, CancellationToken ct)
    {
        foreach (var vm in vms)
        {
            var observed = await driver.PowerStateOf(vm.Id, ct);
            var wanted = vm.Status == VmStatus.Active ? PowerState.Running : PowerState.Stopped;
            if (observed == wanted)
                continue;
            var status = observed == PowerState.Running ? VmStatus.Active : VmStatus.Off;
            // An off VM whose machine is gone is still off: nothing to record (once recorded it on every pass).
            if (status == vm.Status)
                continue;
            var reason = observed == PowerState.Running
                ? "The VM was found running though recorded off; it is now active."
                : observed == PowerState.Missing
                    ? "The hypervisor has no machine for this VM any more; it is now off."
                    : "The VM's machine was found stopped (it powered itself off or its process ended); it is now off.";
            await Record(vm, status, reason);
        }
    }

    async Task Record(VmRow vm, string status, string reason)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var changed = await db.Write(async (c, t) =>
        {
            // Only if nothing started meanwhile: a new action owns the VM from its first moment.
            // Parameter names differ by more than case: PostgreSQL's (Npgsql's) are not case-sensitive.
            var rows = await c.ExecuteAsync("UPDATE vms SET status = @observed, version = version + 1 WHERE id = @Id AND locked = 0 AND status = @recorded",
                new { observed = status, vm.Id, recorded = vm.Status }, t);
            if (rows == 0)
                return false;
            await Events.VmChanged(c, t, vm.Id, vm.Status, catalog, now);
            var action = new ActionRow
            {
                Id = ids.New(), AccountId = vm.AccountId, ResourceId = vm.Id, ResourceType = "vm", Type = "observed_state",
                Status = status == VmStatus.Off ? ActionStatus.Errored : ActionStatus.Completed, Params = "{}",
                RegionSlug = vm.RegionSlug, Error = status == VmStatus.Off ? reason : null, StartedAt = now, CompletedAt = now,
            };
            await ActionsSql.Insert(c, t, action);
            await Events.Action(c, t, action, now);
            return true;
        });
        if (changed)
            log.LogWarning("VM {VmId}: {Reason}", vm.Id, reason);
    }
}
