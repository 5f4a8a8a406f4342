using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>A tag as DigitalOcean shows one: its name and what carries it, counted in all and per type of resource.</summary>
public sealed record TagView(string Name, TagResourcesView Resources)
{
    public static TagView Of(string name, IEnumerable<TagCount> counts)
    {
        var mine = counts.Where(c => c.Tag == name).ToList();
        TagTypeView Type(string type) => TagTypeView.Of(mine.Where(c => c.ResourceType == type).ToList());
        return new(name, new TagResourcesView(mine.Sum(c => c.Count), TagTypeView.Of(mine).LastTaggedUri,
            Type("vm"), Type("image"), Type("volume"), Type("domain")));
    }
}

public sealed record TagResourcesView(long Count, string? LastTaggedUri, TagTypeView Vms, TagTypeView Images, TagTypeView Volumes, TagTypeView Domains);

public sealed record TagTypeView(long Count, string? LastTaggedUri)
{
    /// <summary>The counts given, summed; the last tagged is the latest of them (by time, then id).</summary>
    public static TagTypeView Of(IReadOnlyList<TagCount> counts)
    {
        var last = counts.OrderByDescending(c => c.Last, StringComparer.Ordinal).FirstOrDefault();
        return new(counts.Sum(c => c.Count), last is null ? null : $"{ApiRoutes.Prefix}/{Tags.ResourceTypes[last.ResourceType]}/{last.Last[(last.Last.IndexOf(' ') + 1)..]}");
    }
}
