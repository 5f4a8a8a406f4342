using System.Text.Json.Nodes;
using CloudsFor.Compute;
using CloudsFor.Compute.Qemu;

namespace CloudsFor.Work;

/// <summary>What a checked image file is: its format and the size of the disk it holds.</summary>
public sealed record ImageFile(string Format, long VirtualSize);

/// <summary>
/// Judges a file a user brought, by reading its headers with qemu-img only: it is never run, mounted or
/// opened with its backing files. qcow2 or raw, standalone, no larger than the largest size's disk.
/// </summary>
public static class ImageCheck
{
    public static async Task<ImageFile> Inspect(string file, long maxVirtualSize, CancellationToken ct)
    {
        JsonNode? info;
        try
        {
            info = JsonNode.Parse(await HostTools.Run("qemu-img", ["info", "--output=json", file], ct));
        }
        catch (DriverException e)
        {
            throw new ImportFailed($"qemu-img could not read the file: {e.Message}");
        }
        var format = info?["format"]?.GetValue<string>() ?? "unknown";
        if (format is not ("qcow2" or "raw"))
            throw new ImportFailed($"the file is in format {format}; only qcow2 and raw images are accepted");
        // A backing file or an external data file would make the server read a file of its own host into the image.
        if (info?["backing-filename"] is not null)
            throw new ImportFailed("the qcow2 image names a backing file; only standalone images are accepted (qemu-img convert makes one)");
        if (info?["format-specific"]?["data"]?["data-file"] is not null)
            throw new ImportFailed("the qcow2 image has an external data file; only standalone images are accepted");
        if (format == "raw" && !HasPartitionTable(file))
            throw new ImportFailed("the file is neither a qcow2 image nor a raw disk image with a partition table (MBR or GPT)");
        var size = info?["virtual-size"]?.GetValue<long>() ?? 0;
        if (size > maxVirtualSize)
            throw new ImportFailed($"the image's disk is {Gib(size)} GiB; the largest size has {Gib(maxVirtualSize)} GiB");
        return new ImageFile(format, size);
    }

    /// <summary>Any file probes as raw, so a raw one counts as a disk only with a boot sector's signature (GPT keeps a protective MBR).</summary>
    static bool HasPartitionTable(string file)
    {
        using var stream = File.OpenRead(file);
        var sector = new byte[512];
        return stream.ReadAtLeast(sector, 512, throwOnEndOfStream: false) == 512 && sector[510] == 0x55 && sector[511] == 0xAA;
    }

    static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
