using System.Text;
using System.Text.Json;
using CloudsFor.Compute;
using CloudsFor.Compute.Qemu;
using CloudsFor.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudsFor.QemuTests;

/// <summary>The files the qemu driver makes for volumes, read back with qemu-img and the file systems' own superblocks.</summary>
public sealed class QemuVolumeFileTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "cloudsfor-qemu-" + Guid.NewGuid().ToString("N")[..12]);
    readonly RegionSwitches switches;
    readonly QemuDriver driver;

    public QemuVolumeFileTests()
    {
        var settings = new QemuSettings(root, Path.Combine(AppContext.BaseDirectory, "images", "tiny", "build.sh"));
        switches = new RegionSwitches(settings, NullLogger<RegionSwitches>.Instance);
        driver = new QemuDriver(settings, new BootImages(settings, Catalog.Parse(Catalog.DefaultText(), "built-in")), switches,
            new Accelerator(settings, NullLogger<Accelerator>.Instance), NullLogger<QemuDriver>.Instance);
    }

    string Disk(string volumeId) => Path.Combine(root, "volumes", volumeId, "disk.qcow2");

    [Fact]
    public async Task An_ext4_volume_is_a_qcow2_of_its_size_with_the_labelled_file_system_and_its_snapshot_makes_a_bigger_copy()
    {
        var id = NewId();
        await driver.EnsureVolumeCreated(new VolumeSpec(id, 1, "ext4", "logs"), CancellationToken.None);

        var info = await Info(Disk(id));
        Assert.Equal("qcow2", info.GetProperty("format").GetString());
        Assert.Equal(1L << 30, info.GetProperty("virtual-size").GetInt64());
        var superblock = await Read(Disk(id), 1024, 1024);
        Assert.Equal(0xEF53, BitConverter.ToUInt16(superblock, 56));
        Assert.Equal("logs", Encoding.ASCII.GetString(superblock, 120, 16).TrimEnd('\0'));

        var snapshotId = NewId();
        var bytes = await driver.SnapshotVolume(id, snapshotId, CancellationToken.None);
        Assert.Equal(new FileInfo(Path.Combine(root, "volume-snapshots", snapshotId + ".qcow2")).Length, bytes);
        var copy = NewId();
        await driver.EnsureVolumeCreated(new VolumeSpec(copy, 2, "ext4", "logs", snapshotId), CancellationToken.None);
        Assert.Equal(2L << 30, (await Info(Disk(copy))).GetProperty("virtual-size").GetInt64());
        Assert.Equal("logs", Encoding.ASCII.GetString(await Read(Disk(copy), 1024 + 120, 16)).TrimEnd('\0'));

        await driver.EnsureVolumeSnapshotDestroyed(snapshotId, CancellationToken.None);
        await driver.EnsureVolumeDestroyed(id, CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(root, "volume-snapshots", snapshotId + ".qcow2")));
        Assert.False(Directory.Exists(Path.Combine(root, "volumes", id)));
        Assert.True(File.Exists(Disk(copy)));
    }

    [Fact]
    public async Task An_xfs_volume_carries_its_label_and_a_resize_only_grows()
    {
        var id = NewId();
        await driver.EnsureVolumeCreated(new VolumeSpec(id, 1, "xfs", "data"), CancellationToken.None);
        var superblock = await Read(Disk(id), 0, 512);
        Assert.Equal("XFSB", Encoding.ASCII.GetString(superblock, 0, 4));
        Assert.Equal("data", Encoding.ASCII.GetString(superblock, 108, 12).TrimEnd('\0'));

        await driver.ResizeVolume(id, 3, null, CancellationToken.None);
        Assert.Equal(3L << 30, (await Info(Disk(id))).GetProperty("virtual-size").GetInt64());
        var shrink = await Assert.ThrowsAsync<DriverException>(() => driver.ResizeVolume(id, 2, null, CancellationToken.None));
        Assert.Equal("A volume cannot shrink from 3 GiB to 2 GiB.", shrink.Message);
    }

    static string NewId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    static async Task<JsonElement> Info(string disk) =>
        JsonDocument.Parse(await HostTools.Run("qemu-img", ["info", "--output=json", disk], CancellationToken.None)).RootElement;

    /// <summary>Bytes of the disk as the guest sees them: qemu-img dd copies the start of it out of the qcow2 (its skip= makes empty files).</summary>
    async Task<byte[]> Read(string disk, int offset, int count)
    {
        var raw = Path.Combine(root, Guid.NewGuid().ToString("N") + ".raw");
        await HostTools.Run("qemu-img", ["dd", "-f", "qcow2", "-O", "raw", $"bs={offset + count}", "count=1", $"if={disk}", $"of={raw}"],
            CancellationToken.None);
        return (await File.ReadAllBytesAsync(raw))[offset..];
    }

    public void Dispose()
    {
        switches.Dispose();
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
