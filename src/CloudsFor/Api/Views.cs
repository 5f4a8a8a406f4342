using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudsFor.Compute;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Api;

// The API's representations. Their property names become the JSON names (snake_case); what is
// stored but private (password hashes, token hashes, user data) never reaches one of these.

// Regions and sizes do not change while the server runs: one view each, whose JSON is written once
// (Http.ApiJson caches it), since every VM shows its region and size in full.

public sealed record RegionView(string Slug, string Name, bool Available, IReadOnlyList<string> Sizes, IReadOnlyList<string> Features, CapacityView Capacity)
{
    static readonly ConditionalWeakTable<Region, RegionView> Views = new();

    public static RegionView Of(Region r, Catalog catalog) => Views.GetValue(r, _ =>
        new(r.Slug, r.Name, r.Available, catalog.Sizes.Select(s => s.Slug).ToList(), ["private_networking"], new CapacityView(r.Capacity.Vcpus, r.Capacity.Memory, r.Capacity.Disk)));
}

public sealed record CapacityView(long Vcpus, long Memory, long Disk);

public sealed record SizeView(string Slug, int Memory, int Vcpus, int Disk, decimal PriceMonthly, decimal PriceHourly, IReadOnlyList<string> Regions, bool Available, string Description)
{
    static readonly ConditionalWeakTable<Size, SizeView> Views = new();

    public static SizeView Of(Size s, Catalog catalog) => Views.GetValue(s, _ =>
        new(s.Slug, s.Memory, s.Vcpus, s.Disk, s.PriceMonthly, s.PriceHourly, catalog.RegionSlugs, s.Available, s.Description));
}

/// <summary>An image; a custom image being brought in also shows how far its bytes came (import) or why it failed (error_message).</summary>
public sealed record ImageView(string Id, string Name, string? Slug, string Distribution, string Type, bool Public, IReadOnlyList<string> Regions,
    int MinDiskSize, double SizeGigabytes, string Description, string Status, string? CreatedAt, string? VmId, IReadOnlyList<string> Tags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorMessage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImportProgress? Import)
{
    public static ImageView Of(ImageRow i, Catalog catalog, ImportProgress? import = null) =>
        new(i.Id, i.Name, i.Slug, i.Distribution, i.Type, i.AccountId is null,
            i.RegionSlug is null ? catalog.RegionSlugs : [i.RegionSlug],
            i.MinDiskSize, i.SizeGigabytes, i.Description, i.Status, Clock.Shown(i.CreatedAt), i.VmId, CloudsFor.Api.Tags.FromJson(i.TagsJson), i.ErrorMessage,
            i.Status == "new" ? import : null);
}

/// <summary>Bytes of a custom image received so far; bytes_total is null while the sender has not said.</summary>
public sealed record ImportProgress(long BytesDone, long? BytesTotal);

public sealed record NetworkView(string IpAddress, string Netmask, string Gateway, string Type);

public sealed record NetworksView(IReadOnlyList<NetworkView> V4, IReadOnlyList<NetworkView> V6);

public sealed record VmView(string Id, string Name, string Status, bool Locked, int Memory, int Vcpus, int Disk, string? CreatedAt,
    ImageView? Image, SizeView? Size, string SizeSlug, RegionView? Region, NetworksView Networks, IReadOnlyList<string> Tags,
    IReadOnlyList<string> VolumeIds, string? VpcId, IReadOnlyList<string> SnapshotIds, IReadOnlyList<string> Features,
    IReadOnlyList<PortForward> PortForwards)
{
    /// <summary>The view of a VM as read with its relations (<see cref="Store.VmsSql"/>); its image passed apart (read with the row, or known to the caller).</summary>
    public static VmView Of(VmRow vm, ImageRow? image, Catalog catalog)
    {
        var region = catalog.FindRegion(vm.RegionSlug);
        var size = catalog.FindSize(vm.SizeSlug);
        var range = Ranges.GetOrAdd(region?.IpRange ?? "10.0.0.0/8", IpRange.Parse);
        var network = new NetworkView(range.Address(vm.IpHost), range.Netmask, range.Gateway, "private");
        return new VmView(vm.Id, vm.Name, vm.Status, vm.Locked, vm.Memory, vm.Vcpus, vm.Disk, Clock.Shown(vm.CreatedAt),
            image is null ? null : ImageView.Of(image, catalog),
            size is null ? null : SizeView.Of(size, catalog), vm.SizeSlug,
            region is null ? null : RegionView.Of(region, catalog),
            new NetworksView([network], []), Strings(vm.TagsJson), Strings(vm.VolumeIdsJson), null, Strings(vm.SnapshotIdsJson), ["private_networking"],
            vm.PortForwards == "[]" ? [] : JsonSerializer.Deserialize<List<PortForward>>(vm.PortForwards, Http.ApiJson.Options) ?? []);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IpRange> Ranges = new();

    static string[] Strings(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}

public sealed record VolumeView(string Id, string Name, string Description, int SizeGigabytes, RegionView? Region, string RegionSlug,
    IReadOnlyList<string> VmIds, string FilesystemType, string FilesystemLabel, IReadOnlyList<string> Tags, string Status, string? CreatedAt)
{
    public static VolumeView Of(VolumeRow v, Catalog catalog) =>
        new(v.Id, v.Name, v.Description, v.SizeGigabytes, catalog.FindRegion(v.RegionSlug) is { } r ? RegionView.Of(r, catalog) : null, v.RegionSlug,
            v.VmId is null ? [] : [v.VmId], v.FilesystemType, v.FilesystemLabel,
            v.TagsJson == "[]" ? [] : JsonSerializer.Deserialize<string[]>(v.TagsJson) ?? [], v.Status, Clock.Shown(v.CreatedAt));
}

public sealed record ActionView(string Id, string Status, string Type, string? StartedAt, string? CompletedAt, string ResourceId,
    string ResourceType, string Region, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static ActionView Of(ActionRow a) =>
        new(a.Id, a.Status, a.Type, Clock.Shown(a.StartedAt), Clock.Shown(a.CompletedAt), a.ResourceId, a.ResourceType, a.RegionSlug, a.Error);
}

public sealed record UserView(string Id, string Username, string Email, string Status, bool Admin, int VmLimit, int VolumeLimit,
    long VolumeGigabytesLimit, string? CreatedAt)
{
    public static UserView Of(UserRow u) =>
        new(u.Id, u.Username, u.Email, "active", u.IsAdmin, u.VmLimit, u.VolumeLimit, u.VolumeGigabytesLimit, Clock.Shown(u.CreatedAt));
}

public sealed record TokenView(string Id, string Name, IReadOnlyList<string> Scopes, string? CreatedAt, string? ExpiresAt)
{
    public static TokenView Of(TokenRow t) => new(t.Id, t.Name, t.Scopes.Split(','), Clock.Shown(t.CreatedAt), Clock.Shown(t.ExpiresAt));
}

/// <summary>Only in the answer to POST /tokens: the one time the secret is shown.</summary>
public sealed record NewTokenView(string Id, string Name, IReadOnlyList<string> Scopes, string? CreatedAt, string? ExpiresAt, string? Token);

/// <summary>What a retried token creation answers: the token without its secret, and why.</summary>
public sealed record TokenReplay(NewTokenView Token, string Message)
{
    public const string Why = "This answer replays a token creation (same Idempotency-Key and body). The secret is shown only in the first " +
                              "answer and is not kept; if it was lost, delete this token and create another.";
}
