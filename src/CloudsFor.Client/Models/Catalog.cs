namespace CloudsFor.Client.Models;

// The API's representations, one record per object, named after their JSON (snake_case on the wire).

public sealed record Region(string Slug, string Name, bool Available, IReadOnlyList<string> Sizes, IReadOnlyList<string> Features, RegionCapacity Capacity);

/// <summary>What the region can hold in all: vCPUs, memory in MiB, disk in GiB.</summary>
public sealed record RegionCapacity(long Vcpus, long Memory, long Disk);

/// <summary>A size: <c>Memory</c> in MiB, <c>Disk</c> in GiB.</summary>
public sealed record Size(string Slug, int Memory, int Vcpus, int Disk, decimal PriceMonthly, decimal PriceHourly,
    IReadOnlyList<string> Regions, bool Available, string Description);

/// <summary>A distribution image or one of the account's snapshots (<c>Type</c> distribution, snapshot or custom).</summary>
public sealed record Image(string Id, string Name, string? Slug, string Distribution, string Type, bool Public, IReadOnlyList<string> Regions,
    int MinDiskSize, double SizeGigabytes, string Description, string Status, DateTimeOffset? CreatedAt, string? VmId)
{
    /// <summary>Why a custom image is errored (see <see cref="ImageStatus"/>); null otherwise.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>While a custom image is new and its bytes arrive: how many so far.</summary>
    public ImageImport? Import { get; init; }

    /// <summary>The tags on one of the account's own images; public images carry none.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>Bytes of a custom image received so far; <c>BytesTotal</c> is null while the sender has not said.</summary>
public sealed record ImageImport(long BytesDone, long? BytesTotal);

/// <summary>The statuses of an image: a custom one starts new and ends available or errored.</summary>
public static class ImageStatus
{
    public const string New = "new";
    public const string Available = "available";
    public const string Errored = "errored";
}
