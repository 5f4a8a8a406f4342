using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Public distribution images and the account's own snapshots.</summary>
public sealed class ImagesClient
{
    readonly Connection connection;

    internal ImagesClient(Connection connection) => this.connection = connection;

    /// <param name="type">distribution, snapshot or custom; null for all.</param>
    /// <param name="privateOnly">only the account's own images.</param>
    public IAsyncEnumerable<Image> ListAsync(string? type = null, bool? privateOnly = null, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Query(type, privateOnly, null, perPage), "images", ClientJson.Default.ListImage, cancellationToken);

    public Task<Page<Image>> GetPageAsync(int page = 1, int? perPage = null, string? type = null, bool? privateOnly = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Query(type, privateOnly, page, perPage), "images", ClientJson.Default.ListImage, cancellationToken);

    /// <summary>An image by id or slug.</summary>
    public Task<Image> GetAsync(string idOrSlug, CancellationToken cancellationToken = default) =>
        connection.GetAsync("images/" + Paths.Segment(idOrSlug), "image", ClientJson.Default.Image, cancellationToken);

    /// <summary>Sets the name and/or description of one of the account's own images.</summary>
    public Task<Image> UpdateAsync(string id, UpdateImageRequest image, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, "images/" + Paths.Segment(id), image, ClientJson.Default.UpdateImageRequest, "image", ClientJson.Default.Image, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        connection.DeleteAsync("images/" + Paths.Segment(id), cancellationToken);

    static string Query(string? type, bool? privateOnly, int? page, int? perPage) =>
        Paths.With("images", ("type", type), ("private", privateOnly == true ? true : null), ("page", page), ("per_page", perPage));
}
