using System.Text.Json;

namespace CloudsFor.Compute.Qemu;

/// <summary>Which VM a volume is attached to, as the driver knows it (no file: attached to none).</summary>
public sealed record VolumeAttachment(string VmId);

/// <summary>
/// The files of volumes: DATA/qemu/volumes/ID/disk.qcow2 with attachment.json beside it while the volume is attached,
/// and volume snapshots as DATA/qemu/volume-snapshots/ID.qcow2. The attachment is kept with the volume (not the VM)
/// so a volume can never be recorded on two VMs, and a VM's start finds its volumes by reading them all.
/// </summary>
public sealed class VolumeFiles(QemuSettings settings)
{
    public string Folder(string volumeId) => Path.Combine(settings.VolumesDir, volumeId);

    public string Disk(string volumeId) => Path.Combine(Folder(volumeId), "disk.qcow2");

    string AttachmentFile(string volumeId) => Path.Combine(Folder(volumeId), "attachment.json");

    public string Snapshot(string snapshotId) => Path.Combine(settings.VolumeSnapshotsDir, snapshotId + ".qcow2");

    /// <summary>The disk appears only complete (written under another name, then renamed), so its presence means the volume exists.</summary>
    public bool Exists(string volumeId) => File.Exists(Disk(volumeId));

    public string? AttachedVm(string volumeId) =>
        File.Exists(AttachmentFile(volumeId)) ? JsonSerializer.Deserialize<VolumeAttachment>(File.ReadAllText(AttachmentFile(volumeId)))?.VmId : null;

    /// <summary>Write then rename (or delete): a kill in the middle leaves the old record, never half of one.</summary>
    public void SetAttachedVm(string volumeId, string? vmId)
    {
        var file = AttachmentFile(volumeId);
        if (vmId is null)
        {
            File.Delete(file);
            return;
        }
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(new VolumeAttachment(vmId)));
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>The volumes attached to the VM, in a fixed order (by id) so its disks come up in the same order at every start.</summary>
    public IReadOnlyList<string> AttachedTo(string vmId) =>
        Directory.Exists(settings.VolumesDir)
            ? Directory.GetDirectories(settings.VolumesDir).Select(Path.GetFileName).OfType<string>()
                .Where(id => Exists(id) && AttachedVm(id) == vmId).Order(StringComparer.Ordinal).ToList()
            : [];

    // QEMU's names for a volume inside a VM, derived from its id so any later connection finds them again.
    // A block node name holds at most 31 characters and starts with a letter; the virtio serial holds 20 bytes.
    public static string NodeName(string volumeId) => "v" + volumeId[..Math.Min(30, volumeId.Length)];

    public static string DeviceId(string volumeId) => "vol-" + volumeId;

    public static string Serial(string volumeId) => volumeId[..Math.Min(20, volumeId.Length)];
}
