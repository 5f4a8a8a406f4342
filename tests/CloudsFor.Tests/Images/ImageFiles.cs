using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Images;

/// <summary>Small image files made with qemu-img, as a user would bring them.</summary>
public sealed class ImageFiles : IDisposable
{
    readonly TempFolder folder = new("cloudsfor-images-");

    public string Qcow2 => Path.Combine(folder.Path, "small.qcow2");
    public string Raw => Path.Combine(folder.Path, "disk.raw");
    public string WithBacking => Path.Combine(folder.Path, "overlay.qcow2");
    public string HugeDisk => Path.Combine(folder.Path, "huge.qcow2");

    public static async Task<ImageFiles> Make()
    {
        var files = new ImageFiles();
        await QemuImg("create", "-f", "qcow2", files.Qcow2, "64M");
        await QemuImg("create", "-f", "qcow2", "-b", files.Qcow2, "-F", "qcow2", files.WithBacking);
        await QemuImg("create", "-f", "qcow2", files.HugeDisk, "2T");
        files.WriteRaw(1 << 20);
        return files;
    }

    /// <summary>A raw disk of the given length whose first sector carries an MBR's signature.</summary>
    public void WriteRaw(int length, string? path = null)
    {
        var bytes = new byte[length];
        bytes[510] = 0x55;
        bytes[511] = 0xAA;
        File.WriteAllBytes(path ?? Raw, bytes);
    }

    static async Task QemuImg(params string[] args)
    {
        var (code, output) = await Tools.Run("qemu-img", args);
        Assert.True(code == 0, output);
    }

    public void Dispose() => folder.Dispose();
}
