using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudsFor.Model;

/// <summary>Where VMs can run: a region with a hard capacity the scheduler respects.</summary>
public sealed record Region(string Slug, string Name, string IpRange, Capacity Capacity, bool Available = true);

public sealed record Capacity(long Vcpus, long Memory, long Disk);

/// <summary>A machine shape: memory in MiB, disk in GiB.</summary>
public sealed record Size(string Slug, int Memory, int Vcpus, int Disk, decimal PriceMonthly, string Description, bool Available = true)
{
    public decimal PriceHourly => Math.Round(PriceMonthly / 730m, 5);
}

/// <summary>A public image every account may boot; its id is derived from the slug so it never changes across restarts.</summary>
public sealed record DistributionImage(string Slug, string Name, string Distribution, int MinDiskSize, double SizeGigabytes, string Description, string? File = null);

/// <summary>
/// The operator-editable catalog: regions, sizes and distribution images. It lives in a JSON file
/// (docs/operator-guide.md documents it); a missing file is created from the built-in defaults.
/// </summary>
public sealed record Catalog(IReadOnlyList<Region> Regions, IReadOnlyList<Size> Sizes, IReadOnlyList<DistributionImage> Images)
{
    public Region DefaultRegion => Regions[0];

    /// <summary>Every region's slug: what a distribution image and a size show as their regions (every VM's view shows them).</summary>
    public IReadOnlyList<string> RegionSlugs { get; } = Regions.Select(r => r.Slug).ToArray();

    // Loops rather than FirstOrDefault with a lambda: every VM's view looks up both, and each lookup made a closure.
    public Region? FindRegion(string slug)
    {
        foreach (var region in Regions)
            if (region.Slug == slug)
                return region;
        return null;
    }

    public Size? FindSize(string slug)
    {
        foreach (var size in Sizes)
            if (size.Slug == slug)
                return size;
        return null;
    }

    static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string DefaultText()
    {
        using var stream = typeof(Catalog).Assembly.GetManifestResourceStream("default-catalog.json")
            ?? throw new InvalidOperationException("default catalog resource is missing");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Reads the catalog file, writing the defaults there first when it does not exist.</summary>
    public static Catalog LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, DefaultText());
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static Catalog Parse(string json, string source)
    {
        Catalog? catalog;
        try
        {
            catalog = JsonSerializer.Deserialize<Catalog>(json, FileJson);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"catalog {source}: {e.Message}");
        }
        if (catalog is null || catalog.Regions.Count == 0 || catalog.Sizes.Count == 0 || catalog.Images.Count == 0)
            throw new InvalidOperationException($"catalog {source}: needs at least one region, size and image");
        foreach (var region in catalog.Regions)
            IpRange.Parse(region.IpRange); // fail at start, not at the first create
        return catalog;
    }
}
