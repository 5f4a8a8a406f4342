using CloudsFor.Http;
using CloudsFor.Model;

namespace CloudsFor.Api;

/// <summary>Regions and sizes, as the operator's catalog file defines them.</summary>
public static class CatalogApi
{
    public static void MapCatalogApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/regions", (HttpRequest request, Catalog catalog) =>
            Paged(request, "regions", catalog.Regions.Select(r => RegionView.Of(r, catalog)).ToList()));
        api.MapRead("/regions/{slug}", (string slug, Catalog catalog) =>
            Reply.One("region", RegionView.Of(catalog.FindRegion(slug) ?? throw ApiError.NotFound(), catalog)));
        api.MapRead("/sizes", (HttpRequest request, Catalog catalog) =>
            Paged(request, "sizes", catalog.Sizes.Select(s => SizeView.Of(s, catalog)).ToList()));
        api.MapRead("/sizes/{slug}", (string slug, Catalog catalog) =>
            Reply.One("size", SizeView.Of(catalog.FindSize(slug) ?? throw ApiError.NotFound(), catalog)));
    }

    static IResult Paged<T>(HttpRequest request, string root, IReadOnlyList<T> all)
    {
        var page = PageRequest.From(request);
        return Reply.Page(request, root, all.Skip(page.Offset).Take(page.PerPage).ToList(), all.Count, page);
    }
}
