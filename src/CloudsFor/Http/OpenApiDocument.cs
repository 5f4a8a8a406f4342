namespace CloudsFor.Http;

/// <summary>The API's OpenAPI document, written by hand next to the code (Http/openapi.json) and served as is.</summary>
public static class OpenApiDocument
{
    static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json resource is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void MapOpenApiDocument(this IEndpointRouteBuilder api) =>
        api.MapRead("/openapi.json", () => Results.Bytes(Bytes.Value, "application/json")).WithMetadata(PublicRoute.Instance);
}
