using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Regions, as the operator's catalog defines them.</summary>
public sealed class RegionsClient
{
    readonly Connection connection;

    internal RegionsClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<Region> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("regions", ("per_page", perPage)), "regions", ClientJson.Default.ListRegion, cancellationToken);

    public Task<Page<Region>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("regions", ("page", page), ("per_page", perPage)), "regions", ClientJson.Default.ListRegion, cancellationToken);

    public Task<Region> GetAsync(string slug, CancellationToken cancellationToken = default) =>
        connection.GetAsync("regions/" + Paths.Segment(slug), "region", ClientJson.Default.Region, cancellationToken);
}

/// <summary>Sizes, as the operator's catalog defines them.</summary>
public sealed class SizesClient
{
    readonly Connection connection;

    internal SizesClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<Size> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("sizes", ("per_page", perPage)), "sizes", ClientJson.Default.ListSize, cancellationToken);

    public Task<Page<Size>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("sizes", ("page", page), ("per_page", perPage)), "sizes", ClientJson.Default.ListSize, cancellationToken);

    public Task<Size> GetAsync(string slug, CancellationToken cancellationToken = default) =>
        connection.GetAsync("sizes/" + Paths.Segment(slug), "size", ClientJson.Default.Size, cancellationToken);
}
