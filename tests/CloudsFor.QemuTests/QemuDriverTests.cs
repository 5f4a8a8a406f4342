using CloudsFor.Compute;
using CloudsFor.Compute.Qemu;
using CloudsFor.Model;
using CloudsFor.Tests.Compute;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudsFor.QemuTests;

/// <summary>The shared driver contract, against real QEMU processes.</summary>
public sealed class QemuDriverTests : DriverContract, IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "cloudsfor-qemu-" + Guid.NewGuid().ToString("N")[..12]);

    readonly RegionSwitches switches;

    protected override IComputeDriver Driver { get; }

    public QemuDriverTests()
    {
        var settings = new QemuSettings(root, Path.Combine(AppContext.BaseDirectory, "images", "tiny", "build.sh"))
        {
            ShutdownTimeout = TimeSpan.FromSeconds(20),
        };
        switches = new RegionSwitches(settings, NullLogger<RegionSwitches>.Instance);
        var catalog = Catalog.Parse(Catalog.DefaultText(), "built-in");
        Driver = new QemuDriver(settings, new BootImages(settings, catalog), switches,
            new Accelerator(settings, NullLogger<Accelerator>.Instance), NullLogger<QemuDriver>.Instance);
    }

    [Fact]
    public async Task Files_of_deleted_snapshot_images_are_removed_and_built_images_kept()
    {
        var deleted = Path.Combine(root, "images", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()));
        var kept = Path.Combine(root, "images", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()));
        var tiny = Path.Combine(root, "images", "tiny");
        foreach (var dir in new[] { deleted, kept, tiny })
            Directory.CreateDirectory(dir);
        var removed = await Driver.RemoveOrphanImages(new HashSet<string> { Path.GetFileName(kept) }, CancellationToken.None);
        Assert.Equal([Path.GetFileName(deleted)], removed);
        Assert.False(Directory.Exists(deleted));
        Assert.True(Directory.Exists(kept));
        Assert.True(Directory.Exists(tiny));
    }

    public void Dispose()
    {
        HostProcesses.KillAll(root);
        switches.Dispose();
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
