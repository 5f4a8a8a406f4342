using System.Collections.Concurrent;
using System.Text.Json;

namespace CloudsFor.Compute.Simulated;

/// <summary>
/// VMs as small state files (one per VM under DATA/simulated/), with realistic delays and
/// injectable faults. Keeping the state on disk means a restarted server finds its VMs as a real
/// hypervisor would. Nothing runs: this is for development, tests and large-scale simulation.
/// </summary>
public sealed class SimulatedDriver(string folder, SimulatedSettings settings) : IComputeDriver
{
    sealed record State(string Id, PowerState Power, int Memory, int Vcpus, int Disk, string ImageId, int Snapshots);

    // The states in memory too, read from their files once and written through: the reconciler asks for every
    // VM's power state every few seconds, which must not read 100,000 files. (Null: no such VM.)
    readonly ConcurrentDictionary<string, State?> states = new();

    public string Name => "simulated";

    public async Task<VmRuntime> EnsureCreated(VmSpec spec, CancellationToken ct)
    {
        await Work("create", ct);
        if (Load(spec.Id) is null)
            Save(new State(spec.Id, PowerState.Running, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, 0));
        else
            Save(Load(spec.Id)! with { Power = PowerState.Running });
        Print(spec.Id, $"cloudsfor: simulated VM {spec.Name} booted from image {spec.ImageSlug ?? spec.ImageId}");
        Print(spec.Id, "cloudsfor: ready");
        return new VmRuntime([]);
    }

    public async Task EnsureRunning(string vmId, CancellationToken ct)
    {
        await Work("power_on", ct);
        Save(Existing(vmId) with { Power = PowerState.Running });
        Print(vmId, "cloudsfor: ready");
    }

    public async Task EnsureStopped(string vmId, bool graceful, CancellationToken ct)
    {
        await Work(graceful ? "shutdown" : "power_off", ct);
        Save(Existing(vmId) with { Power = PowerState.Stopped });
        Print(vmId, graceful ? "cloudsfor: power button pressed, shutting down" : "cloudsfor: powered off");
    }

    public async Task Restart(string vmId, bool hard, CancellationToken ct)
    {
        await Work(hard ? "power_cycle" : "reboot", ct);
        Save(Existing(vmId) with { Power = PowerState.Running });
    }

    public async Task Resize(VmSpec spec, CancellationToken ct)
    {
        await Work("resize", ct);
        var state = Existing(spec.Id);
        if (spec.Disk < state.Disk)
            throw new DriverException($"A disk cannot shrink from {state.Disk} GiB to {spec.Disk} GiB.");
        Save(state with { Memory = spec.Memory, Vcpus = spec.Vcpus, Disk = spec.Disk });
    }

    public async Task<VmRuntime> Rebuild(VmSpec spec, CancellationToken ct)
    {
        await Work("rebuild", ct);
        var state = Load(spec.Id) ?? new State(spec.Id, PowerState.Running, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, 0);
        Save(state with { ImageId = spec.ImageId, Power = PowerState.Running });
        Print(spec.Id, $"cloudsfor: rebuilt from image {spec.ImageSlug ?? spec.ImageId}");
        Print(spec.Id, "cloudsfor: ready");
        return new VmRuntime([]);
    }

    public async Task<long> Snapshot(string vmId, string imageId, CancellationToken ct)
    {
        await Work("snapshot", ct);
        var state = Existing(vmId);
        var file = new SnapshotFile(vmId, state.Disk, "none", "", BytesOf(state.Disk));
        if (LoadSnapshot(ImagePath(imageId)) is null)
        {
            SaveSnapshot(ImagePath(imageId), file);
            Save(state with { Snapshots = state.Snapshots + 1 });
        }
        return LoadSnapshot(ImagePath(imageId))!.Bytes;
    }

    public async Task EnsureDestroyed(string vmId, CancellationToken ct)
    {
        await Work("destroy", ct);
        // The folder itself may not exist yet (no VM was ever created), which File.Delete does not forgive.
        foreach (var file in new[] { PathOf(vmId), LogOf(vmId) })
            if (File.Exists(file))
                File.Delete(file);
        states[vmId] = null;
    }

    public Task<PowerState> PowerStateOf(string vmId, CancellationToken ct) =>
        Task.FromResult(Load(vmId)?.Power ?? PowerState.Missing);

    public Task<string> ConsoleTail(string vmId, int lines, CancellationToken ct) =>
        Task.FromResult(ConsoleLog.Tail(LogOf(vmId), lines));

    public Task<IReadOnlyList<string>> RemoveOrphans(IReadOnlySet<string> knownVmIds, CancellationToken ct)
    {
        var orphans = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(id => !knownVmIds.Contains(id)).ToList()
            : [];
        foreach (var id in orphans)
        {
            File.Delete(PathOf(id));
            File.Delete(LogOf(id));
            states[id] = null;
        }
        return Task.FromResult<IReadOnlyList<string>>(orphans);
    }

    public Task<IReadOnlyList<string>> RemoveOrphanImages(IReadOnlySet<string> knownImageIds, CancellationToken ct)
    {
        var dir = Path.Combine(folder, "images");
        var orphans = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(id => !knownImageIds.Contains(id)).ToList()
            : [];
        foreach (var id in orphans)
            File.Delete(ImagePath(id));
        return Task.FromResult<IReadOnlyList<string>>(orphans);
    }

    public async Task EnsureImageDestroyed(string imageId, CancellationToken ct)
    {
        await Work("image_destroy", ct);
        if (File.Exists(ImagePath(imageId)))
            File.Delete(ImagePath(imageId));
    }

    public Model.Capacity? HostCapacity() => null;

    // Volumes: a state file each under DATA/simulated/volumes/ (apart from the VMs' files, which orphan removal lists).
    sealed record VolumeState(string Id, int SizeGigabytes, string FilesystemType, string FilesystemLabel, string? VmId);

    string VolumePath(string volumeId) => Path.Combine(folder, "volumes", volumeId + ".json");

    VolumeState? LoadVolume(string volumeId) =>
        File.Exists(VolumePath(volumeId)) ? JsonSerializer.Deserialize<VolumeState>(File.ReadAllText(VolumePath(volumeId))) : null;

    VolumeState ExistingVolume(string volumeId) => LoadVolume(volumeId) ?? throw new DriverException($"The hypervisor has no volume {volumeId}.");

    void SaveVolume(VolumeState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(VolumePath(state.Id))!);
        var temp = VolumePath(state.Id) + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state));
        File.Move(temp, VolumePath(state.Id), overwrite: true);
    }

    public async Task EnsureVolumeCreated(VolumeSpec spec, CancellationToken ct)
    {
        await Work("volume_create", ct);
        if (LoadVolume(spec.Id) is not null)
            return;
        if (spec.SnapshotId is null)
        {
            SaveVolume(new VolumeState(spec.Id, spec.SizeGigabytes, spec.FilesystemType, spec.FilesystemLabel, null));
            return;
        }
        var source = LoadSnapshot(VolumeSnapshotPath(spec.SnapshotId)) ?? throw new DriverException($"The hypervisor has no volume snapshot {spec.SnapshotId}.");
        if (spec.SizeGigabytes < source.SizeGigabytes)
            throw new DriverException($"Volume snapshot {spec.SnapshotId} holds {source.SizeGigabytes} GiB; a volume made from it needs at least that.");
        SaveVolume(new VolumeState(spec.Id, spec.SizeGigabytes, source.FilesystemType, source.FilesystemLabel, null));
    }

    public async Task EnsureVolumeAttached(string volumeId, string vmId, CancellationToken ct)
    {
        await Work("volume_attach", ct);
        Existing(vmId);
        var volume = ExistingVolume(volumeId);
        if (volume.VmId is { } other && other != vmId)
            throw new DriverException($"The volume {volumeId} is attached to VM {other}.");
        if (volume.VmId is null)
            Print(vmId, $"cloudsfor: disk {volumeId} attached ({volume.SizeGigabytes} GiB)");
        SaveVolume(volume with { VmId = vmId });
    }

    public async Task EnsureVolumeDetached(string volumeId, string vmId, CancellationToken ct)
    {
        await Work("volume_detach", ct);
        var volume = ExistingVolume(volumeId);
        if (volume.VmId != vmId)
            return;
        SaveVolume(volume with { VmId = null });
        if (Load(vmId) is not null)
            Print(vmId, $"cloudsfor: disk {volumeId} detached");
    }

    public async Task ResizeVolume(string volumeId, int sizeGigabytes, string? vmId, CancellationToken ct)
    {
        await Work("volume_resize", ct);
        var volume = ExistingVolume(volumeId);
        if (sizeGigabytes < volume.SizeGigabytes)
            throw new DriverException($"A volume cannot shrink from {volume.SizeGigabytes} GiB to {sizeGigabytes} GiB.");
        SaveVolume(volume with { SizeGigabytes = sizeGigabytes });
    }

    public async Task EnsureVolumeDestroyed(string volumeId, CancellationToken ct)
    {
        await Work("volume_destroy", ct);
        if (LoadVolume(volumeId) is { VmId: { } vmId })
            throw new DriverException($"The volume {volumeId} is still attached to VM {vmId}.");
        if (File.Exists(VolumePath(volumeId)))
            File.Delete(VolumePath(volumeId));
    }

    public async Task<long> SnapshotVolume(string volumeId, string snapshotId, CancellationToken ct)
    {
        await Work("volume_snapshot", ct);
        var volume = ExistingVolume(volumeId);
        var file = new SnapshotFile(volumeId, volume.SizeGigabytes, volume.FilesystemType, volume.FilesystemLabel, BytesOf(volume.SizeGigabytes));
        SaveSnapshot(VolumeSnapshotPath(snapshotId), file);
        return file.Bytes;
    }

    public async Task EnsureVolumeSnapshotDestroyed(string snapshotId, CancellationToken ct)
    {
        await Work("volume_snapshot_destroy", ct);
        if (File.Exists(VolumeSnapshotPath(snapshotId)))
            File.Delete(VolumeSnapshotPath(snapshotId));
    }

    // Snapshots (of VMs under images/, of volumes under volume-snapshots/): a state file each, standing for the copied disk.
    sealed record SnapshotFile(string SourceId, int SizeGigabytes, string FilesystemType, string FilesystemLabel, long Bytes);

    /// <summary>
    /// What a simulated snapshot's file takes: 40 MiB per GiB of its disk, as if a twenty-fifth of it held data (a fresh
    /// system disk of 25 GiB gives about 1 GiB), so sizes look like a real cloud's without any data to count.
    /// </summary>
    public static long BytesOf(int diskGigabytes) => diskGigabytes * 40L * 1024 * 1024;

    string ImagePath(string imageId) => Path.Combine(folder, "images", imageId + ".json");

    string VolumeSnapshotPath(string snapshotId) => Path.Combine(folder, "volume-snapshots", snapshotId + ".json");

    static SnapshotFile? LoadSnapshot(string path) => File.Exists(path) ? JsonSerializer.Deserialize<SnapshotFile>(File.ReadAllText(path)) : null;

    static void SaveSnapshot(string path, SnapshotFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(file));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    string LogOf(string vmId) => Path.Combine(folder, vmId + ".log");

    /// <summary>A console line, as a real VM would print one; the log lets users follow simulated VMs like real ones.</summary>
    void Print(string vmId, string line)
    {
        Directory.CreateDirectory(folder);
        File.AppendAllText(LogOf(vmId), line + "\n");
    }

    /// <summary>The operation's delay, then its injected failure if one is configured.</summary>
    async Task Work(string operation, CancellationToken ct)
    {
        var delay = Random.Shared.Next(settings.MinDelayMs, settings.MaxDelayMs + 1);
        if (delay > 0)
            await Task.Delay(delay, ct);
        if (settings.FailOperations?.Contains(operation) == true || (settings.FailRate > 0 && Random.Shared.NextDouble() < settings.FailRate))
            throw new DriverException($"Simulated failure of {operation} (fault injection is configured).");
    }

    string PathOf(string vmId) => Path.Combine(folder, vmId + ".json");

    State? Load(string vmId) =>
        states.GetOrAdd(vmId, id => File.Exists(PathOf(id)) ? JsonSerializer.Deserialize<State>(File.ReadAllText(PathOf(id))) : null);

    State Existing(string vmId) => Load(vmId) ?? throw new VmMissingException(vmId);

    /// <summary>Write then rename, so a kill mid-write never leaves a torn state file.</summary>
    void Save(State state)
    {
        Directory.CreateDirectory(folder);
        var temp = PathOf(state.Id) + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state));
        File.Move(temp, PathOf(state.Id), overwrite: true);
        states[state.Id] = state;
    }
}
