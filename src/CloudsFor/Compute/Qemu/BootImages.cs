using System.Text.Json;
using CloudsFor.Model;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// What a VM boots: a base disk, and for images that bring no boot loader, a kernel and initramfs. Without
/// a kernel the machine boots by firmware from the disk's own boot loader; a VM's vm.json and a snapshot's
/// boot.json keep this, so the VM and every image made from it boot the same way.
/// </summary>
public sealed record BootImage(string BaseDisk, string? Kernel, string? Initrd);

/// <summary>
/// Finds the files of an image: snapshots in DATA/qemu/images/ID/, the tiny image built on first
/// use by images/tiny/build.sh into DATA/qemu/images/tiny/, custom images a user brought in DATA/images/ID/
/// (converted by ImageImports), and operator images by the catalog's "file" (a cloud-init NoCloud qcow2
/// such as a Debian or Ubuntu cloud image).
/// </summary>
public sealed class BootImages(QemuSettings settings, Catalog catalog)
{
    readonly SemaphoreSlim building = new(1, 1);
    volatile bool tinyChecked;

    public async Task<BootImage> Resolve(string imageId, string? slug, CancellationToken ct)
    {
        var saved = Path.Combine(settings.ImagesDir, imageId);
        if (File.Exists(Path.Combine(saved, "boot.json")))
        {
            var boot = JsonSerializer.Deserialize<BootImage>(File.ReadAllText(Path.Combine(saved, "boot.json")))!;
            return boot with { BaseDisk = Path.Combine(saved, "disk.qcow2") };
        }
        if (slug == "tiny")
            return await Tiny(ct);
        var custom = Path.Combine(settings.CustomImagesDir, imageId, "disk.qcow2");
        if (File.Exists(custom))
            return new BootImage(custom, null, null);
        var file = catalog.Images.FirstOrDefault(i => i.Slug == slug)?.File;
        if (file is null || !File.Exists(file))
            throw new DriverException($"The image {slug ?? imageId} has no disk file on this host; an operator sets \"file\" for it in the catalog.");
        return new BootImage(file, null, null);
    }

    /// <summary>Records a snapshot's disk with how to boot it, so it can start new VMs.</summary>
    public string SnapshotFolder(string imageId) => Path.Combine(settings.ImagesDir, imageId);

    public static void WriteBootFile(string folder, BootImage source) =>
        File.WriteAllText(Path.Combine(folder, "boot.json"), JsonSerializer.Serialize(source with { BaseDisk = "disk.qcow2" }));

    public async Task<BootImage> Tiny(CancellationToken ct)
    {
        var dir = Path.Combine(settings.ImagesDir, "tiny");
        // vmlinux, the decompressed kernel: VMs made before it existed keep booting vmlinuz, which the build keeps.
        var image = new BootImage(Path.Combine(dir, "disk.qcow2"), Path.Combine(dir, "vmlinux"), Path.Combine(dir, "initrd.img"));
        if (tinyChecked)
            return image;
        await building.WaitAsync(ct);
        try
        {
            // Once per server run: the script returns at once when its recipe made the files, and
            // otherwise brings an image built by an older recipe up to date (an upgrade that adds to it).
            if (!tinyChecked)
                await HostTools.Run("bash", [settings.TinyImageBuilder, dir], ct, TimeSpan.FromMinutes(10));
            tinyChecked = true;
            return image;
        }
        finally
        {
            building.Release();
        }
    }
}
