namespace CloudsFor.Compute.Qemu;

/// <summary>
/// Where the QEMU driver keeps its files (Root: DATA/qemu), how it builds the tiny image, and
/// how far it may overcommit the host's real CPUs and memory.
/// </summary>
public sealed record QemuSettings(string Root, string TinyImageBuilder, double CpuOvercommit = 8, double MemoryOvercommit = 1.5)
{
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a guest may take to let go of a volume being detached (ACPI hot-unplug) before the detach fails.</summary>
    public TimeSpan DetachTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public string VmsDir => Path.Combine(Root, "vms");
    public string ImagesDir => Path.Combine(Root, "images");
    public string NetDir => Path.Combine(Root, "net");
    public string VolumesDir => Path.Combine(Root, "volumes");
    public string VolumeSnapshotsDir => Path.Combine(Root, "volume-snapshots");

    /// <summary>DATA/images: where ImageImports leaves each custom image's disk.qcow2, in a folder named by its id.</summary>
    public string CustomImagesDir => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Root))!, "images");
}
