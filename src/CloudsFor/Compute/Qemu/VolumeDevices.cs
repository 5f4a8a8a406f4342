using System.Text.Json;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// A volume as a virtio disk of a VM: on the command line of its start, or hot-plugged over QMP (a qcow2 block node,
/// then a virtio-blk-pci device on it). Each step first looks whether it was done already, so repeating it is harmless.
/// </summary>
public static class VolumeDevices
{
    /// <summary>The arguments that give a starting VM its attached volumes, the same disks a hot-plug makes.</summary>
    public static IEnumerable<string> StartArguments(VolumeFiles files, IReadOnlyList<string> volumeIds) =>
        volumeIds.SelectMany((id, i) => new[]
        {
            // JSON rather than key=value: a path with a comma stays one path.
            "-blockdev", JsonSerializer.Serialize(BlockNode(files, id)),
            // QEMU makes the VM's own -drive disks after every -device, so without an address a volume would take a lower
            // PCI slot, be found first and become the guest's vda. Slots from 0x10 keep the VM's disk and seed vda and vdb.
            "-device", $"virtio-blk-pci,drive={VolumeFiles.NodeName(id)},id={VolumeFiles.DeviceId(id)},serial={VolumeFiles.Serial(id)},addr=0x{FirstSlot + i:x}",
        });

    const int FirstSlot = 0x10;

    static Dictionary<string, object> BlockNode(VolumeFiles files, string volumeId) => new()
    {
        ["driver"] = "qcow2",
        ["node-name"] = VolumeFiles.NodeName(volumeId),
        ["file"] = new Dictionary<string, string> { ["driver"] = "file", ["filename"] = Path.GetFullPath(files.Disk(volumeId)) },
    };

    public static async Task Plug(QmpClient qmp, VolumeFiles files, string volumeId, CancellationToken ct)
    {
        if (!await HasNode(qmp, volumeId, ct))
            await qmp.Execute("blockdev-add", BlockNode(files, volumeId), ct);
        if (!await HasDevice(qmp, volumeId, ct))
            await qmp.Execute("device_add", new Dictionary<string, string>
            {
                ["driver"] = "virtio-blk-pci", ["drive"] = VolumeFiles.NodeName(volumeId), ["id"] = VolumeFiles.DeviceId(volumeId),
                ["serial"] = VolumeFiles.Serial(volumeId),
            }, ct);
    }

    /// <summary>
    /// Asks the guest to let go of the disk (ACPI hot-unplug) and waits until it has, then removes the block node.
    /// A guest that keeps the disk past the timeout fails the detach, and the volume stays attached.
    /// </summary>
    public static async Task Unplug(QmpClient qmp, string volumeId, TimeSpan timeout, CancellationToken ct)
    {
        var device = VolumeFiles.DeviceId(volumeId);
        if (await HasDevice(qmp, volumeId, ct))
        {
            // Asking again while an unplug is pending (a detach resumed after a restart) is accepted by QEMU and changes nothing.
            await qmp.Execute("device_del", new { id = device }, ct);
            var deadline = DateTime.UtcNow + timeout;
            // The event may have gone to an earlier connection: between waits, look whether the device is still there.
            while (!await qmp.WaitForEvent("DEVICE_DELETED", e => e["data"]?["device"]?.GetValue<string>() == device, TimeSpan.FromSeconds(2), ct)
                   && await HasDevice(qmp, volumeId, ct))
                if (DateTime.UtcNow >= deadline)
                    throw new DriverException($"The guest did not release volume {volumeId} within {timeout.TotalSeconds:0} s; it stays attached. " +
                        "Unmount it in the guest (or power the VM off) and detach it again.");
        }
        if (await HasNode(qmp, volumeId, ct))
            await qmp.Execute("blockdev-del", new Dictionary<string, string> { ["node-name"] = VolumeFiles.NodeName(volumeId) }, ct);
    }

    /// <summary>Whether the running VM has the volume's block node (where block_resize and the disk's file are).</summary>
    public static async Task<bool> HasNode(QmpClient qmp, string volumeId, CancellationToken ct) =>
        (await qmp.Execute("query-named-block-nodes", new { flat = true }, ct))!.AsArray()
            .Any(n => n?["node-name"]?.GetValue<string>() == VolumeFiles.NodeName(volumeId));

    static async Task<bool> HasDevice(QmpClient qmp, string volumeId, CancellationToken ct) =>
        (await qmp.Execute("qom-list", new { path = "/machine/peripheral" }, ct))!.AsArray()
            .Any(p => p?["name"]?.GetValue<string>() == VolumeFiles.DeviceId(volumeId));
}
