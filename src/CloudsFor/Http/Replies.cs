using System.Security.Cryptography;

namespace CloudsFor.Http;

/// <summary>
/// Every successful answer of the API, written in one place: the root-key envelope, meta.total and
/// links on collections, X-Total-Count and Link headers, ETag and 304 on single objects, Location on creations.
/// </summary>
public static class Reply
{
    public static IResult One(string root, object value, int status = 200, string? location = null, object? links = null)
    {
        // The ETag is a hash of the object's envelope, which is the whole body unless links come with it.
        var envelope = Envelope(root, value);
        var bytes = links is null ? envelope : ApiJson.Bytes(new Dictionary<string, object?> { [root] = value, ["links"] = links });
        return new JsonReply(status, bytes, ETagOfBytes(envelope), location, null);
    }

    /// <summary>A single object already rendered and wrapped (<see cref="Envelope"/>), with the ETag <see cref="ETagOf"/> gave it then.</summary>
    public static IResult One(byte[] envelope, string etag) => new JsonReply(200, envelope, etag, null, null);

    /// <summary>The body of a single object: the object under its root key.</summary>
    public static byte[] Envelope(string root, object value)
    {
        if (value is not RawJson raw)
            return ApiJson.Bytes(new Dictionary<string, object?> { [root] = value });
        // What the serializer would write around it, without its work: a cached rendering is only copied.
        var head = System.Text.Encoding.UTF8.GetBytes($"{{\"{root}\":");
        var envelope = new byte[head.Length + raw.Utf8.Length + 1];
        head.CopyTo(envelope, 0);
        raw.Utf8.CopyTo(envelope, head.Length);
        envelope[^1] = (byte)'}';
        return envelope;
    }

    public static IResult Created(string root, object value, string location) => One(root, value, 201, location);

    /// <summary>A page of a collection: the plural root, links.pages and meta.total.</summary>
    public static IResult Page<T>(HttpRequest request, string root, IReadOnlyList<T> items, long total, PageRequest page)
    {
        var pages = page.Links(request, total);
        var body = new Dictionary<string, object?>
        {
            [root] = items,
            ["links"] = pages.Count == 0 ? new Dictionary<string, object>() : new Dictionary<string, object> { ["pages"] = pages },
            ["meta"] = new Dictionary<string, long> { ["total"] = total },
        };
        var headers = new Dictionary<string, string> { ["X-Total-Count"] = total.ToString() };
        if (pages.Count > 0)
            headers["Link"] = string.Join(", ", pages.Select(p => $"<{p.Value}>; rel=\"{p.Key}\""));
        return new JsonReply(200, ApiJson.Bytes(body), null, null, headers);
    }

    /// <summary>A list that is not paged (a batch answer such as the actions of a tag): root key only.</summary>
    public static IResult Many<T>(string root, IReadOnlyList<T> items, int status, object? links = null)
    {
        var body = new Dictionary<string, object?> { [root] = items };
        if (links is not null)
            body["links"] = links;
        return new JsonReply(status, ApiJson.Bytes(body), null, null, null);
    }

    public static IResult NoContent() => Results.StatusCode(204);

    /// <summary>A strong validator of a single object's representation, so If-Match can be checked before a change.</summary>
    public static string ETagOf(string root, object value) => ETagOfBytes(Envelope(root, value));

    static string ETagOfBytes(byte[] envelope) => "\"" + Convert.ToHexStringLower(SHA256.HashData(envelope))[..32] + "\"";

    /// <summary>PUT and DELETE with If-Match: a stale validator is a 412 and nothing changes.</summary>
    public static void CheckIfMatch(HttpContext ctx, string root, object current) => CheckIfMatch(ctx, () => ETagOf(root, current));

    /// <param name="etagOfCurrent">The current ETag, asked for only when the request has If-Match.</param>
    public static void CheckIfMatch(HttpContext ctx, Func<string> etagOfCurrent)
    {
        var ifMatch = ctx.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch.Trim() == "*")
            return;
        var etag = etagOfCurrent();
        var matches = ifMatch.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag);
        if (!matches)
            throw ApiError.PreconditionFailed();
    }

    sealed class JsonReply(int status, byte[] bytes, string? etag, string? location, Dictionary<string, string>? headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext ctx)
        {
            var response = ctx.Response;
            if (etag is not null)
            {
                response.Headers.ETag = etag;
                var ifNoneMatch = ctx.Request.Headers.IfNoneMatch.ToString();
                if (status == 200 && ifNoneMatch.Length > 0 && (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
                    && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == "W/" + etag))
                {
                    response.StatusCode = 304;
                    return;
                }
            }
            if (location is not null)
                response.Headers.Location = location;
            if (headers is not null)
                foreach (var (name, value) in headers)
                    response.Headers[name] = value;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = bytes.Length;
            if (!HttpMethods.IsHead(ctx.Request.Method))
                // No RequestAborted token: reading it makes a CancellationTokenSource per request, and a write to a
                // connection the client closed ends at once without one.
                await response.Body.WriteAsync(bytes);
        }
    }
}
