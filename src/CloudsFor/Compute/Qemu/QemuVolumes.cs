using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// Volumes on QEMU: a qcow2 file each (<see cref="VolumeFiles"/>), hot-plugged into a running VM over QMP and part of
/// a stopped VM's next start. Volume actions run beside the VM's own actions (each resource has its own queue), so
/// whatever reads or changes what a VM's QEMU has plugged takes the VM's lock, as its start and stop do.
/// </summary>
public sealed partial class QemuDriver
{
    readonly VolumeFiles volumes = new(settings);
    readonly ConcurrentDictionary<string, SemaphoreSlim> vmLocks = new();

    async Task<IAsyncDisposable> LockVm(string vmId, CancellationToken ct)
    {
        var gate = vmLocks.GetOrAdd(vmId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    public async Task EnsureVolumeCreated(VolumeSpec spec, CancellationToken ct)
    {
        if (volumes.Exists(spec.Id))
            return;
        Directory.CreateDirectory(volumes.Folder(spec.Id));
        var disk = volumes.Disk(spec.Id);
        var temp = disk + ".tmp";
        var bytes = (long)spec.SizeGigabytes << 30;
        File.Delete(temp);
        if (spec.SnapshotId is { } snapshotId)
        {
            var source = volumes.Snapshot(snapshotId);
            if (!File.Exists(source))
                throw new DriverException($"The volume snapshot {snapshotId} has no file on this host.");
            await HostTools.Run("qemu-img", ["convert", "-q", "-f", "qcow2", "-O", "qcow2", source, temp], ct, TimeSpan.FromHours(1));
            if (await VirtualSize(temp, ct) < bytes)
                await HostTools.Run("qemu-img", ["resize", "-q", "-f", "qcow2", temp, bytes.ToString()], ct);
        }
        else if (spec.FilesystemType is "ext4" or "xfs")
            await FormattedDisk(spec, temp, bytes, ct);
        else
            await HostTools.Run("qemu-img", ["create", "-q", "-f", "qcow2", temp, bytes.ToString()], ct);
        File.Move(temp, disk); // last: a volume folder with disk.qcow2 is a complete volume
    }

    /// <summary>
    /// The file system is made on a sparse raw file, never mounted (nothing of the guest's reaches the host's kernel),
    /// then converted: qemu-img skips the holes, so a large empty volume costs only its metadata.
    /// </summary>
    async Task FormattedDisk(VolumeSpec spec, string target, long bytes, CancellationToken ct)
    {
        var raw = Path.Combine(volumes.Folder(spec.Id), "format.raw");
        try
        {
            await using (var file = File.Create(raw))
                file.SetLength(bytes);
            var label = spec.FilesystemLabel.Length > 0 ? new[] { "-L", spec.FilesystemLabel } : [];
            // Lazy init and no discard keep the file sparse; both are what a fresh, zeroed disk needs anyway.
            var (program, args) = spec.FilesystemType == "ext4"
                ? ("mkfs.ext4", new[] { "-q", "-F", "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard" }.Concat(label))
                : ("mkfs.xfs", new[] { "-q", "-f", "-K" }.Concat(label));
            if (!HostTools.OnPath(program))
                throw new DriverException($"{program} is missing on this host, so {spec.FilesystemType} volumes cannot be made " +
                    $"(apt-get install {(program == "mkfs.xfs" ? "xfsprogs" : "e2fsprogs")}).");
            await HostTools.Run(program, args.Append(raw), ct, TimeSpan.FromMinutes(10));
            await HostTools.Run("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, target], ct, TimeSpan.FromHours(1));
        }
        finally
        {
            File.Delete(raw);
        }
    }

    static async Task<long> VirtualSize(string disk, CancellationToken ct) =>
        // -U: a running VM's QEMU holds the file's lock; the header is all this reads.
        JsonNode.Parse(await HostTools.Run("qemu-img", ["info", "-U", "--output=json", disk], ct))!["virtual-size"]!.GetValue<long>();

    string ExistingDisk(string volumeId) =>
        volumes.Exists(volumeId) ? volumes.Disk(volumeId) : throw new DriverException($"The hypervisor has no volume {volumeId}.");

    /// <summary>The VM a volume is recorded on, if that VM still exists (a crash can leave the record of a deleted VM).</summary>
    string? AttachedVm(string volumeId) => volumes.AttachedVm(volumeId) is { } vmId && FolderOf(vmId).Exists ? vmId : null;

    public async Task EnsureVolumeAttached(string volumeId, string vmId, CancellationToken ct)
    {
        ExistingDisk(volumeId);
        await using (await LockVm(vmId, ct))
        {
            var folder = Existing(vmId);
            if (AttachedVm(volumeId) is { } other && other != vmId)
                throw new DriverException($"The volume {volumeId} is attached to VM {other}.");
            // Plugged first, recorded after: a crash between the two leaves a plugged disk that the next attempt finds and records.
            if (Pid(folder) is not null)
            {
                await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
                await VolumeDevices.Plug(qmp, volumes, volumeId, ct);
            }
            volumes.SetAttachedVm(volumeId, vmId);
        }
    }

    public async Task EnsureVolumeDetached(string volumeId, string vmId, CancellationToken ct)
    {
        if (!volumes.Exists(volumeId) || volumes.AttachedVm(volumeId) is { } other && other != vmId)
            return;
        await using (await LockVm(vmId, ct))
        {
            var folder = FolderOf(vmId);
            // Unplugged first (a device the record does not know of yet, from an attach cut short, goes too), then the record.
            if (folder.Exists && Pid(folder) is not null)
            {
                await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
                await VolumeDevices.Unplug(qmp, volumeId, settings.DetachTimeout, ct);
            }
            if (volumes.AttachedVm(volumeId) == vmId)
                volumes.SetAttachedVm(volumeId, null);
        }
    }

    public async Task ResizeVolume(string volumeId, int sizeGigabytes, string? vmId, CancellationToken ct)
    {
        var disk = ExistingDisk(volumeId);
        var bytes = (long)sizeGigabytes << 30;
        var current = await VirtualSize(disk, ct);
        if (bytes < current)
            throw new DriverException($"A volume cannot shrink from {current >> 30} GiB to {sizeGigabytes} GiB.");
        if (bytes == current)
            return;
        if (AttachedVm(volumeId) is not { } attached)
        {
            await HostTools.Run("qemu-img", ["resize", "-q", "-f", "qcow2", disk, bytes.ToString()], ct);
            return;
        }
        await using (await LockVm(attached, ct))
        {
            var folder = FolderOf(attached);
            // A running QEMU holds the file: it grows the disk itself, and the guest's virtio disk reports the new size at once.
            if (Pid(folder) is not null)
            {
                await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
                if (await VolumeDevices.HasNode(qmp, volumeId, ct))
                {
                    await qmp.Execute("block_resize", new Dictionary<string, object> { ["node-name"] = VolumeFiles.NodeName(volumeId), ["size"] = bytes }, ct);
                    return;
                }
            }
            await HostTools.Run("qemu-img", ["resize", "-q", "-f", "qcow2", disk, bytes.ToString()], ct);
        }
    }

    public Task EnsureVolumeDestroyed(string volumeId, CancellationToken ct)
    {
        if (AttachedVm(volumeId) is { } vmId)
            throw new DriverException($"The volume {volumeId} is still attached to VM {vmId}.");
        if (Directory.Exists(volumes.Folder(volumeId)))
            Directory.Delete(volumes.Folder(volumeId), recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A standalone copy of the volume. Attached to a running VM, the guest is paused for the copy (QMP stop flushes
    /// its writes to the file; the copy is crash-consistent, like a VM snapshot): simpler than a backup job, which
    /// would need a target node and a job to follow across restarts, at the price of a pause as long as the copy.
    /// </summary>
    public async Task<long> SnapshotVolume(string volumeId, string snapshotId, CancellationToken ct)
    {
        var disk = ExistingDisk(volumeId);
        var target = volumes.Snapshot(snapshotId);
        var temp = target + ".tmp";
        Directory.CreateDirectory(settings.VolumeSnapshotsDir);
        File.Delete(temp);
        string[] copy = ["convert", "-q", "-U", "-f", "qcow2", "-O", "qcow2", disk, temp];
        if (AttachedVm(volumeId) is not { } vmId)
            await HostTools.Run("qemu-img", copy, ct, TimeSpan.FromHours(1));
        else
            await using (await LockVm(vmId, ct))
            {
                var folder = FolderOf(vmId);
                if (Pid(folder) is null)
                    await HostTools.Run("qemu-img", copy, ct, TimeSpan.FromHours(1));
                else
                {
                    await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
                    await qmp.Execute("stop", null, ct);
                    try
                    {
                        await HostTools.Run("qemu-img", copy, ct, TimeSpan.FromHours(1));
                    }
                    finally
                    {
                        await qmp.Execute("cont", null, CancellationToken.None);
                    }
                }
            }
        File.Move(temp, target, overwrite: true);
        return new FileInfo(target).Length;
    }

    public Task EnsureVolumeSnapshotDestroyed(string snapshotId, CancellationToken ct)
    {
        File.Delete(volumes.Snapshot(snapshotId) + ".tmp");
        File.Delete(volumes.Snapshot(snapshotId));
        return Task.CompletedTask;
    }
}
