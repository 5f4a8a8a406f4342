using System.Text.Json.Nodes;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// The files a VM's disk reads through: an overlay names its image's disk as backing file, so
/// that file must outlive the overlay. Read from the qcow2 headers themselves (not from our own
/// records), so no file is removed while some header still names it.
/// </summary>
public static class BackingFiles
{
    /// <summary>Every backing file of <paramref name="disk"/>, nearest first; a chain whose file is already gone still names it.</summary>
    public static async Task<IReadOnlyList<string>> ChainOf(string disk, CancellationToken ct)
    {
        var chain = new List<string>();
        for (var file = disk; chain.Count < 16;)
        {
            // -U: the disk of a running VM is locked by its QEMU; the header is all we read.
            var info = JsonNode.Parse(await HostTools.Run("qemu-img", ["info", "-U", "--output=json", file], ct));
            if (info?["full-backing-filename"]?.GetValue<string>() is not { Length: > 0 } backing)
                break;
            chain.Add(Path.GetFullPath(backing));
            if (!File.Exists(backing))
                break;
            file = backing;
        }
        return chain;
    }

    /// <summary>
    /// Copies into the VM's own disk everything it reads from its backing files and drops them, so
    /// the disk stands alone. Both ways keep the old backing file named until the copy is complete,
    /// so a kill in the middle leaves a disk that still works and the next attempt starts over.
    /// </summary>
    public static async Task Detach(VmFolder folder, bool running, CancellationToken ct)
    {
        if (!running)
        {
            await HostTools.Run("qemu-img", ["rebase", "-q", "-f", "qcow2", "-b", "", folder.Disk], ct, TimeSpan.FromHours(1));
            return;
        }
        // A running guest keeps writing its disk: QEMU itself streams the backing data in (block-stream).
        await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
        if (await Jobs(qmp, ct) == 0) // a stream a previous server started may still run
            await qmp.Execute("block-stream", new Dictionary<string, string> { ["device"] = Drive, ["job-id"] = "cf-detach" }, ct);
        while (await Jobs(qmp, ct) > 0)
            await Task.Delay(100, ct);
        var disk = (await qmp.Execute("query-block", null, ct))!.AsArray().FirstOrDefault(b => b?["device"]?.GetValue<string>() == Drive);
        if (disk?["inserted"]?["backing_file"] is not null)
            throw new DriverException($"QEMU could not copy the backing file into the disk of VM {folder.VmId}.");
    }

    /// <summary>QEMU's name for the first -drive with if=virtio: the VM's disk.</summary>
    const string Drive = "virtio0";

    static async Task<int> Jobs(QmpClient qmp, CancellationToken ct) => (await qmp.Execute("query-block-jobs", null, ct))!.AsArray().Count;
}
