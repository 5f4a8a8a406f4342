
using Microsoft.Extensions.Primitives;

namespace CloudsFor.Http;

/// <summary>
/// Turns every failure into the contract's error body: ApiError as it says, Kestrel's own
/// request errors (such as a body over the limit) by their status, and anything unexpected into a
/// logged 500 that shows the request id and never a stack trace; a store that cannot be reached, or whose disk is full or failing,
/// is a 503 with Retry-After (<see cref="ApiError.Unavailable"/>).
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
            // No parameter takes a NUL character, and PostgreSQL refuses one in any text (a 500 there): a 400 for every route.
            if (ctx.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
                throw ApiError.BadRequest("The query string contains a NUL character (%00), which no parameter accepts.");
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
        catch (Exception e) when (!ctx.Response.HasStarted && ctx.RequestServices.GetRequiredService<Store.Db>().Engine.FaultOf(e) is var fault
            && fault != Store.StoreFault.None)
        {
            // The store's trouble, not the request's: the client may try again later. The contract's one id for it is
            // service_unavailable (a full disk too, rather than WebDAV's 507, whose id the contract does not have).
            var log = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CloudsFor.Errors");
            var level = fault == Store.StoreFault.Unreachable ? LogLevel.Warning : LogLevel.Error;
            log.Log(level, "request {RequestId} {Method} {Path}: {Fault}: {Reason}", RequestIds.Of(ctx), ctx.Request.Method, ctx.Request.Path,
                fault switch
                {
                    Store.StoreFault.DiskFull => "the disk of the data folder or of PostgreSQL's data is full (free space there; the server recovers by itself)",
                    Store.StoreFault.DiskFailing => "the data folder's disk failed a write or sync (check the disk; the write was not acknowledged)",
                    _ => "the store is unavailable",
                }, e.Message);
            await Write(ctx, ApiError.Unavailable(fault));
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CloudsFor.Errors")
                .LogError(e, "request {RequestId} {Method} {Path} failed", RequestIds.Of(ctx), ctx.Request.Method, ctx.Request.Path);
            await Write(ctx, new ApiError(500, "server_error", "The server failed to handle this request; quote the request id when reporting it."));
        }
    }

    /// <summary>Headers about the request rather than the answer: they stay when a failed answer is cleared.</summary>
    static readonly string[] Kept = [RequestIds.Header, .. RateLimits.Headers];

    public static Task Write(HttpContext ctx, ApiError error)
    {
        var headers = ctx.Response.Headers;
        var kept = new StringValues[Kept.Length];
        for (var i = 0; i < Kept.Length; i++)
            kept[i] = headers[Kept[i]];
        ctx.Response.Clear();
        for (var i = 0; i < Kept.Length; i++)
            if (kept[i].Count > 0)
                headers[Kept[i]] = kept[i];
        ctx.Response.StatusCode = error.Status;
        // A script in a browser (the panel) gets no Basic challenge: the browser would put its own password dialog over the page.
        if (error.Status == 401)
            ctx.Response.Headers.WWWAuthenticate = ctx.Request.Headers["Sec-Fetch-Mode"].ToString() is "cors" or "same-origin"
                ? "Bearer realm=\"CloudsFor\""
                : "Basic realm=\"CloudsFor\", Bearer realm=\"CloudsFor\"";
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
        return WriteJson(ctx, body);
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
