using System.Text.Json;
using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// Runs actions: many VMs at once, but one action at a time per VM, in the order the store accepted them.
/// The queue says only which VM has work; a runner per VM then takes that VM's oldest unfinished action from
/// the store, again and again, until none is left. So neither the timing of tasks nor the order of the queue
/// can make a later action (a delete) overtake an earlier one (the create) of the same VM.
/// At start it resumes every action a previous process left in progress (drivers are idempotent,
/// so doing a step twice is safe); one that was interrupted too often ends errored instead of looping.
/// A runner works only while its server holds the VM's claim (<see cref="WorkClaims"/>), so with several servers on
/// one store each VM's actions still run on one server at a time.
/// </summary>
public sealed class ActionWorker(Db db, ActionQueue queue, IComputeDriver driver, Catalog catalog, TimeProvider time, VolumeWork volumes,
    SnapshotWork snapshots, WorkClaims claims, ILogger<ActionWorker> log)
    : BackgroundService
{
    const int MaxInterruptions = 3;
    // How many VMs' runners work at once. A runner mostly waits: on a commit (two an action), or on the hypervisor. With
    // 32, a store that commits every few milliseconds capped the simulated driver at about 2,800 actions a second, below
    // what the API accepts, so clients found their VMs still locked (409); with 256 the worker keeps up.
    const int MaxParallel = 256;

    readonly SemaphoreSlim parallel = new(MaxParallel, MaxParallel);
    // The VMs that have a runner, each with whether more work was queued for it since the runner last looked.
    readonly Dictionary<string, bool> runners = new();
    // Actions accepted before this moment were accepted by an earlier process (or another server).
    string startedAt = "";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        startedAt = Clock.Stored(time.GetUtcNow());
        await claims.Start();
        var unfinished = await db.Read(ActionsSql.ResourcesInProgress);
        if (unfinished.Count > 0)
            log.LogInformation("resuming the actions of {Count} VMs left in progress by the previous run", unfinished.Count);
        queue.Enqueue(unfinished);
        await foreach (var vmId in queue.ReadAll(stopping))
        {
            lock (runners)
            {
                if (runners.ContainsKey(vmId))
                {
                    runners[vmId] = true;
                    continue;
                }
                runners[vmId] = false;
            }
            await parallel.WaitAsync(stopping);
            _ = Task.Run(async () =>
            {
                Db.Background = true;
                try { await RunAll(vmId, stopping); }
                finally { parallel.Release(); }
            }, CancellationToken.None);
        }
    }

    async Task RunAll(string vmId, CancellationToken stopping)
    {
        var claimed = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // Another server holds the VM's actions: they are its to run (and the scan brings them back here if it dies).
                if (await claims.TryClaim(vmId, stopping) is not { } claim)
                {
                    lock (runners)
                        runners.Remove(vmId);
                    return;
                }
                claimed = true;
                await RunQueued(vmId, claim);
                // Released before the runner ends, so a new runner for this VM never finds its claim about to be removed.
                await claims.Release(vmId);
                claimed = false;
                if (claim.IsCancellationRequested)
                {
                    lock (runners)
                        runners.Remove(vmId);
                    return;
                }
                if (!MoreQueued(vmId))
                    return;
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // A store fault: the action stays in progress, and the scan for unclaimed work (or the next start) runs it.
            log.LogError(e, "running the actions of VM {VmId} failed", vmId);
            lock (runners)
                runners.Remove(vmId);
            if (claimed)
                await claims.Release(vmId).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Runs the VM's actions in order while the claim lasts. A store fault (a full disk, PostgreSQL gone) is not the
    /// action's failure: the action stays in progress and runs again once the store takes writes (drivers are
    /// idempotent), so a VM accepted just before the disk filled still ends active rather than errored or stuck.
    /// </summary>
    async Task RunQueued(string vmId, CancellationToken claim)
    {
        var backoff = new StoreBackoff(time);
        while (!claim.IsCancellationRequested)
        {
            try
            {
                if (await db.Read(c => ActionsSql.NextInProgress(c, vmId)) is not { } action)
                    return;
                await Run(action, claim);
                backoff.Reset();
            }
            catch (Exception e) when (db.Engine.IsUnavailable(e) && !claim.IsCancellationRequested)
            {
                if (!backoff.Waiting)
                    log.LogWarning("the actions of VM {VmId} wait for the store to take writes again: {Reason}", vmId, e.Message);
                try { await backoff.Wait(claim); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Whether work was queued for the VM since its runner last looked; if not, the runner ends, atomically with that answer.</summary>
    bool MoreQueued(string vmId)
    {
        lock (runners)
        {
            if (runners[vmId])
            {
                runners[vmId] = false;
                return true;
            }
            runners.Remove(vmId);
            return false;
        }
    }

    async Task Run(ActionRow action, CancellationToken stopping)
    {
        // An action accepted before this process started is resumed: a restart cut its last run short. That is counted
        // (before running it again), so an action that brings the server down every time is given up instead of looping.
        // The run in the process that accepted it costs no write: most actions never need one.
        if (string.CompareOrdinal(action.StartedAt, startedAt) < 0)
        {
            await db.Write((c, t) => ActionsSql.CountAttempt(c, t, action.Id));
            if (++action.Attempts >= MaxInterruptions)
            {
                await Fail(action, $"The action was interrupted by {action.Attempts} server restarts and was given up.");
                return;
            }
        }
        string? error = null;
        try
        {
            if (action.ResourceType == "volume")
                await volumes.Execute(action, stopping);
            else if (action.ResourceType == SnapshotWork.ResourceType)
                await snapshots.Execute(action, stopping);
            else
                await Execute(action, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return; // shutting down: the row stays in progress and the next start resumes it
        }
        catch (Exception e) when (e is DriverException or VmMissingException)
        {
            error = e.Message;
        }
        catch (Exception e) when (!db.Engine.IsUnavailable(e))
        {
            log.LogError(e, "action {ActionId} ({Type}) failed", action.Id, action.Type);
            error = "The action failed inside the server: " + e.GetType().Name + ".";
        }
        if (error is not null)
            await Fail(action, error);
    }

    Task Fail(ActionRow action, string error) => action.ResourceType switch
    {
        "volume" => volumes.Fail(action, error),
        SnapshotWork.ResourceType => snapshots.Fail(action, error),
        _ => Finish(action, error),
    };

    /// <summary>Asks the driver for the change, then records its result with the action in one transaction.</summary>
    async Task Execute(ActionRow action, CancellationToken ct)
    {
        var vm = await db.Read(c => VmsSql.FindAny(c, action.ResourceId)) ?? throw new VmMissingException(action.ResourceId);
        var p = ActionParams.FromJson(action.Params);
        var type = VmActionType.All[action.Type];
        // What this action changes in the VM row; applied to a fresh read when the result is stored,
        // so a PUT of name or tags made meanwhile is not overwritten.
        Action<VmRow> apply = _ => { };
        long snapshotBytes = 0;
        switch (action.Type)
        {
            case VmActionType.Create:
                var runtime = await driver.EnsureCreated(await SpecOf(vm), ct);
                apply = row => row.PortForwards = JsonSerializer.Serialize(runtime.PortForwards, Http.ApiJson.Options);
                break;
            case VmActionType.Destroy:
                // Its volumes stay, detached (the store forgets the attachments when the VM's row goes). The VM goes first:
                // a detach from a machine that is gone asks nothing of its guest, so a guest that holds on to a disk cannot stop its deletion.
                await driver.EnsureDestroyed(vm.Id, ct);
                foreach (var volumeId in await db.Read(c => VolumesSql.AttachedTo(c, vm.Id)))
                    await driver.EnsureVolumeDetached(volumeId, vm.Id, ct);
                break;
            case "power_on": await driver.EnsureRunning(vm.Id, ct); break;
            case "power_off": await driver.EnsureStopped(vm.Id, graceful: false, ct); break;
            case "shutdown": await driver.EnsureStopped(vm.Id, graceful: true, ct); break;
            case "reboot": await driver.Restart(vm.Id, hard: false, ct); break;
            case "power_cycle": await driver.Restart(vm.Id, hard: true, ct); break;
            case "rename": apply = row => row.Name = p.Name!; break;
            case "resize":
                var size = catalog.FindSize(p.SizeSlug!) ?? throw new DriverException($"The size {p.SizeSlug} left the catalog.");
                var disk = p.Disk ? size.Disk : vm.Disk;
                apply = row => (row.SizeSlug, row.Memory, row.Vcpus, row.Disk) = (size.Slug, size.Memory, size.Vcpus, disk);
                apply(vm);
                await driver.Resize(await SpecOf(vm), ct);
                break;
            case "rebuild":
                vm.ImageId = p.ImageId!;
                if (p.SshKeys is not null)
                    vm.SshKeys = JsonSerializer.Serialize(p.SshKeys);
                var rebuilt = await driver.Rebuild(await SpecOf(vm), ct);
                apply = row => (row.ImageId, row.PortForwards) = (p.ImageId!, JsonSerializer.Serialize(rebuilt.PortForwards, Http.ApiJson.Options));
                break;
            case "snapshot": snapshotBytes = await driver.Snapshot(vm.Id, p.SnapshotId!, ct); break;
            default: throw new DriverException($"Unknown action type {action.Type}.");
        }
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            var current = await VmsSql.FindShown(c, t, vm.Id);
            // The image first, so the VM's event shows it among its snapshots.
            if (action.Type == "snapshot")
            {
                var image = SnapshotImage(vm, p, snapshotBytes, now);
                await ImagesSql.Upsert(c, t, image);
                await Events.Record(c, t, image.AccountId!, "image.created", "image", image.Id, Api.ImageView.Of(image, catalog), now);
                if (await SnapshotsSql.Find(c, image.AccountId!, image.Id, t) is { } snapshot)
                    await Events.Snapshot(c, t, "snapshot.created", snapshot, now);
            }
            if (action.Type == VmActionType.Destroy)
            {
                await VolumesSql.DetachAllFrom(c, t, vm.Id);
                await VmsSql.Remove(c, t, vm.Id);
            }
            else if (current is { DeletedAt: null })
            {
                var before = current.Status;
                apply(current);
                current.Status = type.EndsIn ?? current.Status;
                current.Locked = false;
                await VmsSql.Update(c, t, current);
                if (action.Type == "rebuild" && p.SshKeys is not null)
                    await VmsSql.SetSshKeys(c, t, vm.Id, vm.SshKeys);
                // The row read above shows the VM once Update wrote it, unless a new image (rebuild) or snapshot changed its relations.
                if (action.Type is "rebuild" or "snapshot")
                    await Events.VmChanged(c, t, vm.Id, before, catalog, now);
                else
                    await Events.VmChanged(c, t, current, before, catalog, now);
            }
            action.Status = ActionStatus.Completed;
            action.CompletedAt = now;
            await ActionsSql.Finish(c, t, action);
            await Events.Action(c, t, action, now);
        });
    }

    /// <summary>Ends an action errored. A failed create leaves the VM errored; a failed delete brings the VM back so it can be retried.</summary>
    async Task Finish(ActionRow action, string error)
    {
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            var vm = await VmsSql.FindAny(c, action.ResourceId, t);
            if (vm is not null)
            {
                var before = vm.Status;
                vm.Locked = false;
                if (action.Type is VmActionType.Create or VmActionType.Destroy)
                    vm.Status = VmStatus.Errored;
                await VmsSql.Update(c, t, vm);
                if (action.Type == VmActionType.Destroy)
                    await VmsSql.Restore(c, t, vm.Id);
                // A VM whose delete failed is back: after its vm.deleted comes a vm.status_changed (to errored).
                await Events.VmChanged(c, t, vm.Id, action.Type == VmActionType.Destroy ? "" : before, catalog, now);
            }
            action.Status = ActionStatus.Errored;
            action.Error = error;
            action.CompletedAt = now;
            await ActionsSql.Finish(c, t, action);
            await Events.Action(c, t, action, now);
        });
    }

    async Task<VmSpec> SpecOf(VmRow vm)
    {
        var image = await db.Read(c => ImagesSql.ById(c, vm.ImageId));
        var range = IpRange.Parse(catalog.FindRegion(vm.RegionSlug)?.IpRange ?? "10.0.0.0/8");
        return new VmSpec(vm.Id, vm.Name, vm.Memory, vm.Vcpus, vm.Disk, vm.ImageId, image?.Slug, vm.RegionSlug, range.Address(vm.IpHost),
            range.PrefixLength, JsonSerializer.Deserialize<string[]>(vm.SshKeys) ?? [], vm.UserData);
    }

    /// <summary>The image a snapshot action made: min_disk_size is the VM's disk, size_gigabytes what the driver's copy takes.</summary>
    static ImageRow SnapshotImage(VmRow vm, ActionParams p, long bytes, string now) => new()
    {
        Id = p.SnapshotId!, AccountId = vm.AccountId, Name = p.Name ?? vm.Name, Distribution = "Snapshot", Type = "snapshot",
        Description = $"Snapshot of VM {vm.Name}", MinDiskSize = vm.Disk, SizeGigabytes = Snapshots.Gigabytes(bytes), RegionSlug = vm.RegionSlug,
        VmId = vm.Id, Status = "available", CreatedAt = now,
    };
}
