
namespace CloudsFor.Http;

/// <summary>
/// Turns every failure into the contract's error body: ApiError as it says, Kestrel's own
/// request errors (such as a body over the limit) by their status, and anything unexpected into a
/// logged 500 that shows the request id and never a stack trace.
/// </summary>
public static class ErrorBodies
{
    public static async Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        // Kestrel will not read a body past the limit, so it closes the connection after the answer. Saying so
        // keeps a client from sending its next request on that connection (RFC 9112, section 9.6).
        if (ctx.Request.ContentLength > JsonBody.MaxBytes && HttpProtocol.IsHttp11(ctx.Request.Protocol))
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
        try
        {
            await next(ctx);
            // Statuses the framework sets without a body: unknown routes (404) and wrong methods (405).
            if (ctx.Response is { HasStarted: false, StatusCode: >= 400, ContentLength: null } && string.IsNullOrEmpty(ctx.Response.ContentType))
                await ForBareStatus(ctx);
        }
        catch (ApiError e) when (!ctx.Response.HasStarted)
        {
            await Write(ctx, e);
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            await Write(ctx, e.StatusCode == 413 ? ApiError.PayloadTooLarge() : ApiError.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CloudsFor.Errors")
                .LogError(e, "request {RequestId} {Method} {Path} failed", RequestIds.Of(ctx), ctx.Request.Method, ctx.Request.Path);
            await Write(ctx, new ApiError(500, "server_error", "The server failed to handle this request; quote the request id when reporting it."));
        }
    }

    public static async Task Write(HttpContext ctx, ApiError error)
    {
        await ReadRestOfBody(ctx);
        ctx.Response.Clear();
        ctx.Response.StatusCode = error.Status;
        if (error.Status == 401)
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"CloudsFor\", Bearer realm=\"CloudsFor\"";
        if (error.RetryAfterSeconds is { } retryAfter)
            ctx.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new Dictionary<string, object?>
        {
            ["id"] = error.Id,
            ["message"] = error.Message,
            ["request_id"] = RequestIds.Of(ctx),
        };
        if (error.Errors is { Count: > 0 })
            body["errors"] = error.Errors;
        await WriteJson(ctx, body);
    }

    /// <summary>
    /// An error often comes before the handler read the body (401, 404, 405…). Kestrel reads what is left after the
    /// answer, but gives up after a few seconds, and a client still sending then gets a reset instead of the answer
    /// (a large body on a loaded machine). Reading the rest first, up to the limit the server accepts, avoids that.
    /// </summary>
    static async Task ReadRestOfBody(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is not (> 0 and <= JsonBody.MaxBytes) || ctx.RequestAborted.IsCancellationRequested)
            return;
        try
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null, ctx.RequestAborted);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // Read already, cut off or gone: the answer is written all the same, or nobody is left to read it.
        }
    }

    static Task ForBareStatus(HttpContext ctx)
    {
        var status = ctx.Response.StatusCode;
        var message = status switch
        {
            404 => "The resource you were accessing could not be found.",
            405 => $"The method {ctx.Request.Method} is not allowed on this resource.",
            _ => "The request failed.",
        };
        return Write(ctx, new ApiError(status, ApiError.IdFor(status), message));
    }

    static async Task WriteJson(HttpContext ctx, object body)
    {
        var bytes = ApiJson.Bytes(body);
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method))
            await ctx.Response.Body.WriteAsync(bytes);
    }
}
