using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CloudsFor.Http;

/// <summary>
/// Serves the control panel (src/CloudsFor.Panel, embedded in the program) at / on the API's own origin: its static
/// files by path, and index.html for any other path outside /api/, where the panel's script routes (/vms/ID).
/// Each file is compressed once, on first request, with Brotli and gzip, and revalidated by its ETag. The headers
/// lock the page to its own files: no inline script or style, no framing, no referrer.
/// </summary>
public static class PanelFiles
{
    const string Prefix = "panel/";

    const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                          "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    sealed record PanelFile(string ContentType, byte[] Raw, byte[] Brotli, byte[] Gzip, string ETag);

    static readonly Lazy<IReadOnlyDictionary<string, string>> Names = new(() =>
        typeof(PanelFiles).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => "/" + n[Prefix.Length..], n => n, StringComparer.Ordinal));

    static readonly ConcurrentDictionary<string, PanelFile> Loaded = new(StringComparer.Ordinal);

    public static Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api" || !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)))
            return next(ctx);
        if (!Names.Value.ContainsKey(path))
        {
            // A missing file is a 404; any other path is one of the panel's own routes. Only a domain's page ends in what
            // looks like an extension (/domains/example.com).
            if (Path.HasExtension(path) && !path.StartsWith("/domains/", StringComparison.Ordinal))
                return next(ctx);
            path = "/index.html";
        }
        return Send(ctx, Loaded.GetOrAdd(path, Load));
    }

    static async Task Send(HttpContext ctx, PanelFile file)
    {
        var response = ctx.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // No hashed file names without a build step: the browser asks again each time and mostly gets a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        headers.Vary = "Accept-Encoding";
        if (ctx.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch && ifNoneMatch.Split(',').Any(t => t.Trim() == file.ETag))
        {
            response.StatusCode = 304;
            return;
        }
        var accepts = ctx.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accepts.Contains("br", StringComparison.OrdinalIgnoreCase) ? (file.Brotli, "br")
            : accepts.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (file.Gzip, "gzip")
            : (file.Raw, null);
        if (encoding is not null)
            headers.ContentEncoding = encoding;
        response.ContentType = file.ContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method))
            await response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    static PanelFile Load(string path)
    {
        using var stream = typeof(PanelFiles).Assembly.GetManifestResourceStream(Names.Value[path])!;
        using var raw = new MemoryStream();
        stream.CopyTo(raw);
        var bytes = raw.ToArray();
        return new PanelFile(TypeOf(path), bytes, Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
            Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize)), "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"");
    }

    static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
            compressing.Write(bytes);
        return output.ToArray();
    }

    static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    };

    static string TypeOf(string path) => Types.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
}
