using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Tags of the account (/tags), known by their name, and what carries them: VMs, own images, volumes, domains.</summary>
public sealed class TagsClient
{
    readonly Connection connection;

    internal TagsClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<Tag> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("tags", ("per_page", perPage)), "tags", ClientJson.Default.ListTag, cancellationToken);

    public Task<Page<Tag>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("tags", ("page", page), ("per_page", perPage)), "tags", ClientJson.Default.ListTag, cancellationToken);

    public Task<Tag> GetAsync(string name, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(name), "tag", ClientJson.Default.Tag, cancellationToken);

    /// <summary>Makes an empty tag; a name the account already has is an <see cref="ApiException"/> (409).</summary>
    public Task<Tag> CreateAsync(string name, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "tags", new CreateTagRequest(name), ClientJson.Default.CreateTagRequest, "tag", ClientJson.Default.Tag, cancellationToken);

    /// <summary>Takes the tag off everything that carries it, then deletes it.</summary>
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(name), cancellationToken);

    /// <summary>Tags every resource given, or none (one that is not the account's is an <see cref="ApiException"/>, 422).</summary>
    public Task TagAsync(string name, IReadOnlyList<TagResource> resources, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, PathOf(name) + "/resources", new TagResourcesRequest(resources), ClientJson.Default.TagResourcesRequest, cancellationToken);

    public Task UntagAsync(string name, IReadOnlyList<TagResource> resources, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Delete, PathOf(name) + "/resources", new TagResourcesRequest(resources), ClientJson.Default.TagResourcesRequest, cancellationToken);

    static string PathOf(string name) => "tags/" + Paths.Segment(name);
}
