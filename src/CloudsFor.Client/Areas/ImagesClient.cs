using System.Net.Http.Headers;
using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Public distribution images, the account's own snapshots, and custom images it brings (imported from a URL or uploaded).</summary>
public sealed class ImagesClient
{
    readonly Connection connection;

    internal ImagesClient(Connection connection) => this.connection = connection;

    /// <param name="type">distribution, snapshot or custom; null for all.</param>
    /// <param name="privateOnly">only the account's own images.</param>
    /// <param name="tagName">only images with this tag.</param>
    public IAsyncEnumerable<Image> ListAsync(string? type = null, bool? privateOnly = null, int? perPage = null, string? tagName = null,
        CancellationToken cancellationToken = default) =>
        connection.ListAsync(Query(type, privateOnly, tagName, null, perPage), "images", ClientJson.Default.ListImage, cancellationToken);

    public Task<Page<Image>> GetPageAsync(int page = 1, int? perPage = null, string? type = null, bool? privateOnly = null, string? tagName = null,
        CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Query(type, privateOnly, tagName, page, perPage), "images", ClientJson.Default.ListImage, cancellationToken);

    /// <summary>An image by id or slug.</summary>
    public Task<Image> GetAsync(string idOrSlug, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(idOrSlug), "image", ClientJson.Default.Image, cancellationToken);

    /// <summary>A custom image the server downloads from <paramref name="url"/> (http or https); it comes back new: see <see cref="WaitForImageAsync"/>.</summary>
    public Task<Image> ImportAsync(string name, string url, string? distribution = null, string? description = null, string? region = null,
        IReadOnlyList<string>? tags = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateImageRequest(name, url, distribution, description, region, tags), cancellationToken);

    /// <summary>A custom image that waits for its bytes: send them with <see cref="UploadAsync"/>.</summary>
    public Task<Image> CreateForUploadAsync(string name, string? distribution = null, string? description = null, string? region = null,
        IReadOnlyList<string>? tags = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateImageRequest(name, null, distribution, description, region, tags), cancellationToken);

    public Task<Image> CreateAsync(CreateImageRequest image, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "images", image, ClientJson.Default.CreateImageRequest, "image", ClientJson.Default.Image, cancellationToken);

    /// <summary>
    /// Sends the bytes of an image made by <see cref="CreateForUploadAsync"/>, streamed from <paramref name="file"/> (from its position
    /// to its end), never held in memory. <paramref name="progress"/> hears the bytes sent so far. The server then checks the file:
    /// the image comes back new; <see cref="WaitForImageAsync"/> tells how it ends.
    /// </summary>
    /// <exception cref="ApiException">413: larger than the server accepts; 409: the image is not waiting for an upload.</exception>
    public async Task<Image> UploadAsync(string id, Stream file, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var content = new StreamContent(new ProgressStream(file, progress), 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (file.CanSeek)
            content.Headers.ContentLength = file.Length - file.Position;
        var answer = await connection.SendStreamAsync(HttpMethod.Put, PathOf(id) + "/file", content, cancellationToken).ConfigureAwait(false);
        return Connection.One(answer.Body, "image", ClientJson.Default.Image);
    }

    /// <summary>
    /// Waits until a custom image is no longer new and returns it available. It asks every PollInterval, each ask after the first with
    /// the last ETag (a bodiless 304 when nothing changed); <paramref name="progress"/> hears the image each time it changed, its
    /// <see cref="Image.Import"/> included. Bound the wait with the CancellationToken.
    /// </summary>
    /// <exception cref="WaitFailedException">The image errored; <see cref="WaitFailedException.Image"/> holds it, with its error_message.</exception>
    public async Task<Image> WaitForImageAsync(string id, IProgress<Image>? progress = null, CancellationToken cancellationToken = default)
    {
        string? etag = null;
        Image? image = null;
        while (true)
        {
            var (changed, newETag) = await connection.GetIfChangedAsync(PathOf(id), "image", ClientJson.Default.Image, etag, cancellationToken).ConfigureAwait(false);
            etag = newETag;
            if (changed is not null)
            {
                image = changed;
                progress?.Report(image);
            }
            if (image!.Status == ImageStatus.Errored)
                throw new WaitFailedException($"Image {id} is errored: {image.ErrorMessage}", image: image);
            if (image.Status != ImageStatus.New)
                return image;
            await Task.Delay(connection.Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets the name and/or description of one of the account's own images.</summary>
    public Task<Image> UpdateAsync(string id, UpdateImageRequest image, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, "images/" + Paths.Segment(id), image, ClientJson.Default.UpdateImageRequest, "image", ClientJson.Default.Image, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        connection.DeleteAsync("images/" + Paths.Segment(id), cancellationToken);

    static string PathOf(string idOrSlug) => "images/" + Paths.Segment(idOrSlug);

    static string Query(string? type, bool? privateOnly, string? tagName, int? page, int? perPage) =>
        Paths.With("images", ("type", type), ("private", privateOnly == true ? true : null), ("tag_name", tagName), ("page", page), ("per_page", perPage));
}
