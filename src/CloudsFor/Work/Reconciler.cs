using System.Threading.Channels;
using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Work;

/// <summary>How long the reconciler's round over every VM takes (see <see cref="Reconciler"/>).</summary>
public sealed record ReconcilerSettings(TimeSpan Round);

/// <summary>
/// Compares what the store says with what the driver sees, and makes one step to agree:
/// before the API opens it removes VMs the store does not know (orphans); then a VM recorded active
/// whose process is gone becomes off (with an errored "observed_off" action saying why), and one
/// recorded off that runs becomes active. VMs with an action in flight are skipped: the worker owns
/// them until it finishes (the power state is written only here and there).
/// A VM the driver reports changed (the QEMU process ended, the guest powered off) is checked at once;
/// every VM is checked once per round besides, a slice each second, so that 100,000 VMs cost a steady
/// trickle rather than a burst every few seconds. The first round after the start goes at once: machines
/// that died while the server was down are found as soon as it is back.
/// </summary>
public sealed class Reconciler(Db db, IComputeDriver driver, Ids ids, Catalog catalog, TimeProvider time, ReconcilerSettings settings,
    ILogger<Reconciler> log) : BackgroundService
{
    public static readonly TimeSpan DefaultRound = TimeSpan.FromSeconds(60);

    /// <summary>How often the round checks its next slice.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    const int Batch = 1000;

    /// <summary>The VMs the reconciler may correct: recorded active or off, with no action of the worker in flight.</summary>
    const string Checkable = "SELECT id, account_id, status, region_slug FROM vms WHERE locked = 0 AND deleted_at IS NULL AND status IN ('active', 'off')";

    readonly Channel<string> reported = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

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
        driver.PowerChanged += Report;
        try
        {
            await Task.WhenAll(Rounds(stopping), Reported(stopping));
        }
        finally
        {
            driver.PowerChanged -= Report;
        }
    }

    void Report(string vmId) => reported.Writer.TryWrite(vmId);

    async Task Reported(CancellationToken ct)
    {
        while (await reported.Reader.WaitToReadAsync(ct))
        {
            var vmIds = new HashSet<string>();
            while (vmIds.Count < Batch && reported.Reader.TryRead(out var id))
                vmIds.Add(id);
            try
            {
                await Check(await db.Read(c => c.QueryAsync<VmRow>(Dialect.For(c, Checkable + " AND id IN @vmIds"),
                    new { vmIds = vmIds.ToArray() })), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "checking the VMs the driver reported changed failed; the round checks them again");
            }
        }
    }

    async Task Rounds(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Tick, time);
        var after = "";
        double share = int.MaxValue, owed = 0;
        do
        {
            try
            {
                // A share of a VM per tick adds up: with fewer VMs than ticks, each is still checked once per round, not every tick.
                owed = Math.Min(owed + share, int.MaxValue);
                if ((int)owed is var count and > 0)
                {
                    after = await CheckSlice(after, count, ct);
                    owed -= count;
                    if (after == "")
                        (share, owed) = (await Share(), 0);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "reconciling failed; trying again in {Tick}", Tick);
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>How many VMs a tick checks, sized when a round starts; counted as one VM at least, so that a round of none still ends and counts again.</summary>
    async Task<double> Share()
    {
        var vms = await db.Read(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM vms WHERE deleted_at IS NULL"));
        return Math.Max(vms, 1) / Math.Max(1, settings.Round / Tick);
    }

    /// <summary>Checks up to <paramref name="count"/> VMs after <paramref name="after"/> by id; the last one checked, or "" when the round is over.</summary>
    async Task<string> CheckSlice(string after, int count, CancellationToken ct)
    {
        // In batches by id: a slice of 100,000 VMs neither holds one long read (which keeps SQLite from
        // checkpointing its log) nor every row in memory at once.
        while (count > 0)
        {
            var limit = Math.Min(count, Batch);
            var vms = (await db.Read(c => c.QueryAsync<VmRow>(Checkable + " AND id > @after ORDER BY id LIMIT @limit", new { after, limit }))).AsList();
            await Check(vms, ct);
            if (vms.Count < limit)
                return "";
            after = vms[^1].Id;
            count -= limit;
        }
        return after;
    }

    async Task Check(IEnumerable<VmRow> rows, CancellationToken ct)
    {
        var vms = rows.AsList();
        if (vms.Count == 0)
            return;
        var states = await driver.PowerStatesOf(vms.Select(vm => vm.Id).ToList(), ct);
        foreach (var vm in vms)
        {
            var observed = states.GetValueOrDefault(vm.Id, PowerState.Missing);
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
