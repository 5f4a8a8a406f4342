namespace CloudsFor.Compute;

/// <summary>What a driver needs to build a VM: shape, boot image and first-boot data.</summary>
public sealed record VmSpec(string Id, string Name, int Memory, int Vcpus, int Disk, string ImageId, string? ImageSlug,
    string Region, string PrivateIp, int PrefixLength, IReadOnlyList<string> SshKeys, string UserData);

/// <summary>A host port that reaches a port of the VM (shown to the user in the VM object).</summary>
public sealed record PortForward(string Protocol, string HostIp, int HostPort, int GuestPort);

/// <summary>What a driver reports about a VM it made, for the VM's record.</summary>
public sealed record VmRuntime(IReadOnlyList<PortForward> PortForwards);

/// <summary>
/// What a driver needs to make a volume: its size and the file system to put on it (none: a blank disk), or the
/// volume snapshot whose content it starts from (then the file system is the snapshot's and the size at least its).
/// </summary>
public sealed record VolumeSpec(string Id, int SizeGigabytes, string FilesystemType, string FilesystemLabel, string? SnapshotId = null);

public enum PowerState { Missing, Running, Stopped }

/// <summary>
/// The hypervisor seam. Every call ensures a state rather than firing a command, so running it
/// again after a crash is harmless (ensure running twice = running). Only Work/ calls a driver.
/// A call on a VM the driver does not know throws <see cref="VmMissingException"/>, except
/// <see cref="EnsureCreated"/> and <see cref="EnsureDestroyed"/>.
/// </summary>
public interface IComputeDriver
{
    string Name { get; }

    /// <summary>The VM exists with its disk from the image and runs.</summary>
    Task<VmRuntime> EnsureCreated(VmSpec spec, CancellationToken ct);

    Task EnsureRunning(string vmId, CancellationToken ct);

    /// <summary>Stopped; graceful asks the guest first (ACPI), then forces after a timeout.</summary>
    Task EnsureStopped(string vmId, bool graceful, CancellationToken ct);

    /// <summary>Restarts a running VM (hard: reset; else a guest reboot); starts a stopped one.</summary>
    Task Restart(string vmId, bool hard, CancellationToken ct);

    /// <summary>Gives the VM the spec's memory, vCPUs and disk (disks only grow), keeping its power state.</summary>
    Task Resize(VmSpec spec, CancellationToken ct);

    /// <summary>Replaces the VM's disk with a fresh one from the spec's image, then runs it; a VM whose create failed is created.</summary>
    Task<VmRuntime> Rebuild(VmSpec spec, CancellationToken ct);

    /// <summary>Saves a consistent copy of the VM's disk as image <paramref name="imageId"/>; returns the bytes its file takes.</summary>
    Task<long> Snapshot(string vmId, string imageId, CancellationToken ct);

    /// <summary>No process and no files remain.</summary>
    Task EnsureDestroyed(string vmId, CancellationToken ct);

    Task<PowerState> PowerStateOf(string vmId, CancellationToken ct);

    /// <summary>
    /// The power state of each VM asked about (<see cref="PowerState.Missing"/> for one the driver does not know), in one go:
    /// the reconciler asks about a thousand at a time.
    /// </summary>
    Task<IReadOnlyDictionary<string, PowerState>> PowerStatesOf(IReadOnlyList<string> vmIds, CancellationToken ct);

    /// <summary>
    /// Raised with a VM's id when the driver sees its machine change by itself (its process ended, the guest powered
    /// off, paused or resumed), so the reconciler checks it at once rather than at its next round. A driver that cannot
    /// see such changes never raises it; the round still finds them. Handlers must return quickly.
    /// </summary>
    event Action<string>? PowerChanged;

    /// <summary>The last lines of the VM's serial console; empty for a VM the driver does not know.</summary>
    Task<string> ConsoleTail(string vmId, int lines, CancellationToken ct);

    /// <summary>Destroys VMs the driver has but the store does not know; returns their ids.</summary>
    Task<IReadOnlyList<string>> RemoveOrphans(IReadOnlySet<string> knownVmIds, CancellationToken ct);

    /// <summary>Deletes the files of snapshot images the store no longer has (deleted through the API); returns their ids.</summary>
    Task<IReadOnlyList<string>> RemoveOrphanImages(IReadOnlySet<string> knownImageIds, CancellationToken ct);

    /// <summary>
    /// The snapshot image's files are gone now (DELETE of a snapshot); VMs made from it first get what they read from it
    /// copied into their own disks. Nothing to remove is success.
    /// </summary>
    Task EnsureImageDestroyed(string imageId, CancellationToken ct);

    /// <summary>The volume exists, blank or with its file system; an existing one is left as it is.</summary>
    Task EnsureVolumeCreated(VolumeSpec spec, CancellationToken ct);

    /// <summary>
    /// The volume is attached to the VM and stays so across its power cycles (hot-plugged into a running VM,
    /// part of a stopped one's next start). The VM must exist (<see cref="VmMissingException"/>).
    /// </summary>
    Task EnsureVolumeAttached(string volumeId, string vmId, CancellationToken ct);

    /// <summary>The volume is not attached to the VM (a VM that is gone has nothing attached).</summary>
    Task EnsureVolumeDetached(string volumeId, string vmId, CancellationToken ct);

    /// <summary>Grows the volume to <paramref name="sizeGigabytes"/>; attached to a running VM, the guest sees the new size at once or at its next start.</summary>
    Task ResizeVolume(string volumeId, int sizeGigabytes, string? vmId, CancellationToken ct);

    /// <summary>The volume's file is gone (it must be detached first).</summary>
    Task EnsureVolumeDestroyed(string volumeId, CancellationToken ct);

    /// <summary>
    /// Saves a consistent copy of the volume (attached or not) as volume snapshot <paramref name="snapshotId"/>;
    /// returns the bytes the snapshot's file takes. Taking it again replaces the copy.
    /// </summary>
    Task<long> SnapshotVolume(string volumeId, string snapshotId, CancellationToken ct);

    /// <summary>The volume snapshot's file is gone (volumes made from it do not depend on it).</summary>
    Task EnsureVolumeSnapshotDestroyed(string snapshotId, CancellationToken ct);

    /// <summary>What the host can hold in all (null: no limit beyond the catalog's regions).</summary>
    Model.Capacity? HostCapacity();
}

public sealed class VmMissingException(string vmId) : Exception($"The hypervisor has no VM {vmId}.");

/// <summary>A failure the driver reports as the action's error message.</summary>
public sealed class DriverException(string message) : Exception(message);
