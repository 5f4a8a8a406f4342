namespace CloudsFor.Client.Models;

/// <summary>A tag of the account with the count of what carries it, in all and per type of resource.</summary>
public sealed record Tag(string Name, TagResources Resources);

/// <summary><c>LastTaggedUri</c> is the API path of the resource tagged last (<c>/api/v1/vms/…</c>), null when nothing carries the tag.</summary>
public sealed record TagResources(long Count, string? LastTaggedUri, TagTypeCount Vms, TagTypeCount Images, TagTypeCount Volumes, TagTypeCount Domains);

public sealed record TagTypeCount(long Count, string? LastTaggedUri);

/// <summary>One resource to tag: <c>ResourceType</c> is vm, image, volume or domain; <c>ResourceId</c> its id (a domain: its name).</summary>
public sealed record TagResource(string ResourceId, string ResourceType);

public sealed record CreateTagRequest(string Name);

public sealed record TagResourcesRequest(IReadOnlyList<TagResource> Resources);
