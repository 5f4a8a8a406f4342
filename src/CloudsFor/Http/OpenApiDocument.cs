using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CloudsFor.Api;

namespace CloudsFor.Http;

/// <summary>
/// The API's OpenAPI document, written by hand next to the code (Http/openapi.json). Its one server is written
/// relative ("/api/v1"), which client generators cannot use without a base URL set by hand; only the request
/// knows the scheme and host the caller reached this server by, so each caller gets a copy naming its own origin.
/// </summary>
public static class OpenApiDocument
{
    const string RelativeServer = "\"url\": \"" + ApiRoutes.Prefix + "\"";

    // Copies per origin, bounded: the Host header is the caller's to choose, so a caller inventing hosts must not grow memory.
    const int MaxOrigins = 32;
    static readonly ConcurrentDictionary<string, byte[]> PerOrigin = new();

    static readonly Lazy<(string Before, string After)> Template = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json resource is missing");
        var text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        var at = text.IndexOf(RelativeServer, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(RelativeServer, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"openapi.json must name its server exactly once as {RelativeServer}");
        return (text[..at], text[(at + RelativeServer.Length)..]);
    });

    public static void MapOpenApiDocument(this IEndpointRouteBuilder api) =>
        api.MapRead("/openapi.json", (HttpRequest request) => Results.Bytes(For(request), "application/json")).WithMetadata(PublicRoute.Instance);

    static byte[] For(HttpRequest request)
    {
        // An HTTP/1.0 request may come without a Host: then the relative server is all that can be said.
        var origin = request.Host.HasValue ? $"{request.Scheme}://{request.Host.Value}" : "";
        if (PerOrigin.TryGetValue(origin, out var cached))
            return cached;
        var (before, after) = Template.Value;
        var bytes = Encoding.UTF8.GetBytes(before + "\"url\": \"" + JsonEncodedText.Encode(origin + ApiRoutes.Prefix) + "\"" + after);
        if (PerOrigin.Count < MaxOrigins)
            PerOrigin.TryAdd(origin, bytes);
        return bytes;
    }
}
