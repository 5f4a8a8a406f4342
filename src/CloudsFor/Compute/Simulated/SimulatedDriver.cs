using System.Data.Common;
using System.Text.Json;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Compute.Simulated;

/// <summary>
/// VMs, volumes and snapshots as small rows in the store (Store/SimulatedSql.cs), with realistic delays and injectable
/// faults. Keeping the state in the store means a restarted server finds its VMs as a real hypervisor would, and every
/// server sharing a PostgreSQL store can act on any VM. Nothing runs: this is for development, tests and large-scale
/// simulation. Every operation is recorded with its start and end (simulated_executions), so a test can prove that no
/// resource ever had two running at once, across servers.
/// </summary>
public sealed class SimulatedDriver : IComputeDriver
{
    internal const string VmKind = "vm", VolumeKind = "volume", ImageKind = "image", VolumeSnapshotKind = "volume_snapshot";

    sealed record State(string Id, PowerState Power, int Memory, int Vcpus, int Disk, string ImageId, int Snapshots);

    readonly Db db;
    readonly SimulatedSettings settings;
    readonly string server;
    readonly TimeProvider time;

    // Every question reads the store, which is the truth for all servers sharing it (and for a test that changes it
    // behind the server's back); the reconciler asks about a thousand VMs in one read (PowerStatesOf).
    public SimulatedDriver(Db db, SimulatedSettings settings, string? server = null, TimeProvider? time = null)
    {
        this.db = db;
        this.settings = settings;
        this.server = server ?? Model.ThisProcess.Id;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The driver, once the state files an older CloudsFor kept under <paramref name="folder"/> are in the store.</summary>
    public static async Task<SimulatedDriver> Start(Db db, string folder, SimulatedSettings settings)
    {
        await SimulatedFiles.Import(db, folder);
        return new SimulatedDriver(db, settings);
    }

    public string Name => "simulated";

    public Task<VmRuntime> EnsureCreated(VmSpec spec, CancellationToken ct) => Operate(spec.Id, "create", ct, async run =>
    {
        var state = await Load(spec.Id) is { } existing
            ? existing with { Power = PowerState.Running }
            : new State(spec.Id, PowerState.Running, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, 0);
        await Save(run, state, $"cloudsfor: simulated VM {spec.Name} booted from image {spec.ImageSlug ?? spec.ImageId}", "cloudsfor: ready");
        return new VmRuntime([]);
    });

    public Task EnsureRunning(string vmId, CancellationToken ct) => Operate(vmId, "power_on", ct, async run =>
        await Save(run, await Existing(vmId) with { Power = PowerState.Running }, "cloudsfor: ready"));

    public Task EnsureStopped(string vmId, bool graceful, CancellationToken ct) => Operate(vmId, graceful ? "shutdown" : "power_off", ct, async run =>
        await Save(run, await Existing(vmId) with { Power = PowerState.Stopped },
            graceful ? "cloudsfor: power button pressed, shutting down" : "cloudsfor: powered off"));

    public Task Restart(string vmId, bool hard, CancellationToken ct) => Operate(vmId, hard ? "power_cycle" : "reboot", ct, async run =>
        await Save(run, await Existing(vmId) with { Power = PowerState.Running }));

    public Task Resize(VmSpec spec, CancellationToken ct) => Operate(spec.Id, "resize", ct, async run =>
    {
        var state = await Existing(spec.Id);
        if (spec.Disk < state.Disk)
            throw new DriverException($"A disk cannot shrink from {state.Disk} GiB to {spec.Disk} GiB.");
        await Save(run, state with { Memory = spec.Memory, Vcpus = spec.Vcpus, Disk = spec.Disk });
    });

    public Task<VmRuntime> Rebuild(VmSpec spec, CancellationToken ct) => Operate(spec.Id, "rebuild", ct, async run =>
    {
        var state = await Load(spec.Id) ?? new State(spec.Id, PowerState.Running, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, 0);
        await Save(run, state with { ImageId = spec.ImageId, Power = PowerState.Running },
            $"cloudsfor: rebuilt from image {spec.ImageSlug ?? spec.ImageId}", "cloudsfor: ready");
        return new VmRuntime([]);
    });

    public Task<long> Snapshot(string vmId, string imageId, CancellationToken ct) => Operate(vmId, "snapshot", ct, async run =>
    {
        var state = await Existing(vmId);
        if (await Get<SnapshotState>(ImageKind, imageId) is { } done)
            return done.Bytes;
        var snapshot = new SnapshotState(vmId, state.Disk, "none", "", BytesOf(state.Disk));
        await Save(run, state with { Snapshots = state.Snapshots + 1 }, (c, t) => Put(c, t, ImageKind, imageId, snapshot));
        return snapshot.Bytes;
    });

    public Task EnsureDestroyed(string vmId, CancellationToken ct) => Operate(vmId, "destroy", ct, run => Write(run, (c, t) => Forget(c, t, vmId)));

    public async Task<PowerState> PowerStateOf(string vmId, CancellationToken ct) => (await Load(vmId))?.Power ?? PowerState.Missing;

    public async Task<IReadOnlyDictionary<string, PowerState>> PowerStatesOf(IReadOnlyList<string> vmIds, CancellationToken ct)
    {
        var found = await db.Read(c => SimulatedSql.States(c, VmKind, vmIds));
        return vmIds.Distinct().ToDictionary(id => id,
            id => found.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<State>(json)!.Power : PowerState.Missing);
    }

    // Nothing happens to a simulated machine by itself: only a change to the store behind the server's back, which the
    // reconciler's round finds.
    public event Action<string>? PowerChanged { add { } remove { } }

    public async Task<string> ConsoleTail(string vmId, int lines, CancellationToken ct)
    {
        var tail = await db.Read(c => SimulatedSql.Tail(c, vmId, lines));
        return tail.Count == 0 ? "" : string.Join('\n', tail) + "\n";
    }

    public async Task<IReadOnlyList<string>> RemoveOrphans(IReadOnlySet<string> knownVmIds, CancellationToken ct)
    {
        var orphans = (await db.Read(c => SimulatedSql.Ids(c, VmKind))).Where(id => !knownVmIds.Contains(id)).ToList();
        await db.Write(async (c, t) =>
        {
            foreach (var id in orphans)
                await Forget(c, t, id);
        });
        return orphans;
    }

    public async Task<IReadOnlyList<string>> RemoveOrphanImages(IReadOnlySet<string> knownImageIds, CancellationToken ct)
    {
        var orphans = (await db.Read(c => SimulatedSql.Ids(c, ImageKind))).Where(id => !knownImageIds.Contains(id)).ToList();
        await db.Write(async (c, t) =>
        {
            foreach (var id in orphans)
                await SimulatedSql.Delete(c, t, ImageKind, id);
        });
        return orphans;
    }

    public Task EnsureImageDestroyed(string imageId, CancellationToken ct) =>
        Operate(imageId, "image_destroy", ct, run => Write(run, (c, t) => SimulatedSql.Delete(c, t, ImageKind, imageId)));

    public Model.Capacity? HostCapacity() => null;

    sealed record VolumeState(string Id, int SizeGigabytes, string FilesystemType, string FilesystemLabel, string? VmId);

    async Task<VolumeState> ExistingVolume(string volumeId) =>
        await Get<VolumeState>(VolumeKind, volumeId) ?? throw new DriverException($"The hypervisor has no volume {volumeId}.");

    Task SaveVolume(Execution run, VolumeState state, string? vmId = null, string? line = null) => Write(run, async (c, t) =>
    {
        await Put(c, t, VolumeKind, state.Id, state);
        if (line is not null)
            await SimulatedSql.Print(c, t, vmId!, line);
    });

    public Task EnsureVolumeCreated(VolumeSpec spec, CancellationToken ct) => Operate(spec.Id, "volume_create", ct, async run =>
    {
        if (await Get<VolumeState>(VolumeKind, spec.Id) is not null)
            return;
        if (spec.SnapshotId is null)
        {
            await SaveVolume(run, new VolumeState(spec.Id, spec.SizeGigabytes, spec.FilesystemType, spec.FilesystemLabel, null));
            return;
        }
        var source = await Get<SnapshotState>(VolumeSnapshotKind, spec.SnapshotId)
                     ?? throw new DriverException($"The hypervisor has no volume snapshot {spec.SnapshotId}.");
        if (spec.SizeGigabytes < source.SizeGigabytes)
            throw new DriverException($"Volume snapshot {spec.SnapshotId} holds {source.SizeGigabytes} GiB; a volume made from it needs at least that.");
        await SaveVolume(run, new VolumeState(spec.Id, spec.SizeGigabytes, source.FilesystemType, source.FilesystemLabel, null));
    });

    public Task EnsureVolumeAttached(string volumeId, string vmId, CancellationToken ct) => Operate(volumeId, "volume_attach", ct, async run =>
    {
        await Existing(vmId);
        var volume = await ExistingVolume(volumeId);
        if (volume.VmId is { } other && other != vmId)
            throw new DriverException($"The volume {volumeId} is attached to VM {other}.");
        await SaveVolume(run, volume with { VmId = vmId }, vmId,
            volume.VmId is null ? $"cloudsfor: disk {volumeId} attached ({volume.SizeGigabytes} GiB)" : null);
    });

    public Task EnsureVolumeDetached(string volumeId, string vmId, CancellationToken ct) => Operate(volumeId, "volume_detach", ct, async run =>
    {
        var volume = await ExistingVolume(volumeId);
        if (volume.VmId != vmId)
            return;
        await SaveVolume(run, volume with { VmId = null }, vmId, await Load(vmId) is not null ? $"cloudsfor: disk {volumeId} detached" : null);
    });

    public Task ResizeVolume(string volumeId, int sizeGigabytes, string? vmId, CancellationToken ct) => Operate(volumeId, "volume_resize", ct, async run =>
    {
        var volume = await ExistingVolume(volumeId);
        if (sizeGigabytes < volume.SizeGigabytes)
            throw new DriverException($"A volume cannot shrink from {volume.SizeGigabytes} GiB to {sizeGigabytes} GiB.");
        await SaveVolume(run, volume with { SizeGigabytes = sizeGigabytes });
    });

    public Task EnsureVolumeDestroyed(string volumeId, CancellationToken ct) => Operate(volumeId, "volume_destroy", ct, async run =>
    {
        if (await Get<VolumeState>(VolumeKind, volumeId) is { VmId: { } vmId })
            throw new DriverException($"The volume {volumeId} is still attached to VM {vmId}.");
        await Write(run, (c, t) => SimulatedSql.Delete(c, t, VolumeKind, volumeId));
    });

    public Task<long> SnapshotVolume(string volumeId, string snapshotId, CancellationToken ct) => Operate(volumeId, "volume_snapshot", ct, async run =>
    {
        var volume = await ExistingVolume(volumeId);
        var snapshot = new SnapshotState(volumeId, volume.SizeGigabytes, volume.FilesystemType, volume.FilesystemLabel, BytesOf(volume.SizeGigabytes));
        await Write(run, (c, t) => Put(c, t, VolumeSnapshotKind, snapshotId, snapshot));
        return snapshot.Bytes;
    });

    public Task EnsureVolumeSnapshotDestroyed(string snapshotId, CancellationToken ct) =>
        Operate(snapshotId, "volume_snapshot_destroy", ct, run => Write(run, (c, t) => SimulatedSql.Delete(c, t, VolumeSnapshotKind, snapshotId)));

    // A snapshot (of a VM: an image; of a volume) stands for the copied disk, of which it keeps what a volume made from it needs.
    sealed record SnapshotState(string SourceId, int SizeGigabytes, string FilesystemType, string FilesystemLabel, long Bytes);

    /// <summary>
    /// What a simulated snapshot's file takes: 40 MiB per GiB of its disk, as if a twenty-fifth of it held data (a fresh
    /// system disk of 25 GiB gives about 1 GiB), so sizes look like a real cloud's without any data to count.
    /// </summary>
    public static long BytesOf(int diskGigabytes) => diskGigabytes * 40L * 1024 * 1024;

    /// <summary>
    /// An operation: its delay, then its injected failure if one is configured, then <paramref name="body"/>, which makes
    /// its change through <see cref="Write"/> (or <see cref="Save(Execution, State, string[])"/>). Every operation is
    /// recorded from its start to its end (also a failed or cancelled one's) as an execution of this server on the
    /// resource; the end is written in the same transaction as the change, and one that takes no time (the benchmark's
    /// case) is recorded whole there: one write an operation, where a record of its own cost two more.
    /// </summary>
    async Task<T> Operate<T>(string resourceId, string operation, CancellationToken ct, Func<Execution, Task<T>> body)
    {
        var run = await Begin(resourceId, operation, ct);
        try
        {
            return await body(run);
        }
        finally
        {
            if (!run.Recorded)
                await db.Write(run.Record);
        }
    }

    Task Operate(string resourceId, string operation, CancellationToken ct, Func<Execution, Task> body) =>
        Operate<bool>(resourceId, operation, ct, async run => { await body(run); return true; });

    async Task<Execution> Begin(string resourceId, string operation, CancellationToken ct)
    {
        var delay = Random.Shared.Next(settings.MinDelayMs, settings.MaxDelayMs + 1);
        var fails = settings.FailOperations?.Contains(operation) == true || (settings.FailRate > 0 && Random.Shared.NextDouble() < settings.FailRate);
        if (delay == 0 && !fails)
            return new Execution(resourceId, operation, server, null, time);
        // Written at its start, so a test sees two operations overlap even while they run.
        var started = await db.Write((c, t) => SimulatedSql.Started(c, t, resourceId, operation, server, Clock.Stored(time.GetUtcNow())));
        var run = new Execution(resourceId, operation, server, started, time);
        try
        {
            if (delay > 0)
                await Task.Delay(delay, ct);
            if (fails)
                throw new DriverException($"Simulated failure of {operation} (fault injection is configured).");
            return run;
        }
        catch
        {
            await db.Write(run.Record);
            throw;
        }
    }

    /// <summary>An operation's change, with the record of its execution.</summary>
    async Task Write(Execution run, Func<DbConnection, DbTransaction, Task> change)
    {
        await db.Write(async (c, t) =>
        {
            await change(c, t);
            await run.Record(c, t);
        });
        run.Recorded = true;
    }

    /// <summary>One operation's row in simulated_executions; <c>startedId</c> when its start is written already.</summary>
    sealed class Execution(string resourceId, string operation, string server, long? startedId, TimeProvider time)
    {
        public bool Recorded { get; set; }

        public async Task Record(DbConnection c, DbTransaction t)
        {
            var now = Clock.Stored(time.GetUtcNow());
            if (startedId is { } id)
                await SimulatedSql.Ended(c, t, id, now);
            else
                await SimulatedSql.Ran(c, t, resourceId, operation, server, now);
        }
    }

    async Task<T?> Get<T>(string kind, string id) where T : class =>
        await db.Read(c => SimulatedSql.State(c, kind, id)) is { } json ? JsonSerializer.Deserialize<T>(json) : null;

    static Task Put<T>(DbConnection c, DbTransaction t, string kind, string id, T state) =>
        SimulatedSql.Put(c, t, kind, id, JsonSerializer.Serialize(state));

    Task<State?> Load(string vmId) => Get<State>(VmKind, vmId);

    async Task<State> Existing(string vmId) => await Load(vmId) ?? throw new VmMissingException(vmId);

    /// <summary>The VM's new state and the console lines it printed, in the operation's write (with <paramref name="also"/>, if given).</summary>
    Task Save(Execution run, State state, params string[] lines) => Save(run, state, null, lines);

    async Task Save(Execution run, State state, Func<DbConnection, DbTransaction, Task>? also, params string[] lines)
    {
        await Write(run, async (c, t) =>
        {
            await Put(c, t, VmKind, state.Id, state);
            // A console line, as a real VM would print one: users follow simulated VMs like real ones.
            foreach (var line in lines)
                await SimulatedSql.Print(c, t, state.Id, line);
            if (also is not null)
                await also(c, t);
        });
    }

    async Task Forget(DbConnection c, DbTransaction t, string vmId)
    {
        await SimulatedSql.Delete(c, t, VmKind, vmId);
        await SimulatedSql.ForgetConsole(c, t, vmId);
    }
}
