namespace CloudsFor.Compute.Qemu;

// Volumes on QEMU (qcow2 files hot-plugged over QMP) are not built yet: each operation fails its action with a clear error.
public sealed partial class QemuDriver
{
    static DriverException NotYet() => new("Volumes are not supported by the qemu driver yet.");

    public Task EnsureVolumeCreated(VolumeSpec spec, CancellationToken ct) => throw NotYet();

    public Task EnsureVolumeAttached(string volumeId, string vmId, CancellationToken ct) => throw NotYet();

    public Task EnsureVolumeDetached(string volumeId, string vmId, CancellationToken ct) => throw NotYet();

    public Task ResizeVolume(string volumeId, int sizeGigabytes, string? vmId, CancellationToken ct) => throw NotYet();

    // Nothing was ever made, so a delete has nothing to remove.
    public Task EnsureVolumeDestroyed(string volumeId, CancellationToken ct) => Task.CompletedTask;

    public Task<long> SnapshotVolume(string volumeId, string snapshotId, CancellationToken ct) => throw NotYet();

    public Task EnsureVolumeSnapshotDestroyed(string snapshotId, CancellationToken ct) => Task.CompletedTask;
}
