using System.Text.Json;
using CloudsFor.Model;

namespace CloudsFor.Api;

/// <summary>
/// A snapshot as DigitalOcean shows one (resource_type vm or volume), with status: a volume snapshot is creating until the
/// driver has made its copy. min_disk_size is the disk or volume size it came from; size_gigabytes what its file takes.
/// </summary>
public sealed record SnapshotView(string Id, string Name, string? CreatedAt, IReadOnlyList<string> Regions, string ResourceId, string ResourceType,
    int MinDiskSize, double SizeGigabytes, IReadOnlyList<string> Tags, string Status)
{
    public static SnapshotView Of(SnapshotRow s) =>
        new(s.Id, s.Name, Clock.Shown(s.CreatedAt), s.RegionSlug.Length == 0 ? [] : [s.RegionSlug], s.ResourceId, s.ResourceType,
            s.MinDiskSize, s.SizeGigabytes, s.TagsJson == "[]" ? [] : JsonSerializer.Deserialize<string[]>(s.TagsJson) ?? [], s.Status);
}
