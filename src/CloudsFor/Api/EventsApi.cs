using System.Globalization;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;
using Microsoft.AspNetCore.Http.Features;

namespace CloudsFor.Api;

/// <summary>
/// GET /events: the caller's account's changes as Server-Sent Events, from now, or resumed after a Last-Event-ID the store
/// still holds (older ones get one resync event first). Events written before the stream opened come from the store;
/// later ones from <see cref="EventHub"/>. A stream is one request for the rate limits, and ends when the server stops.
/// </summary>
public static class EventsApi
{
    public static readonly string[] ResourceTypes = ["vm", "action", "image", "domain", "domain_record", "token", "ssh_key", "tag", "volume", "snapshot"];
    const int MaxIds = 100;
    const int CatchUpPage = 500;
    /// <summary>How long a client waits before it reconnects after a dropped stream (the SSE retry field).</summary>
    public const int RetryMilliseconds = 2000;

    static readonly byte[] Retry = System.Text.Encoding.UTF8.GetBytes($"retry: {RetryMilliseconds}\n\n");
    static readonly byte[] Heartbeat = ": keep-alive\n\n"u8.ToArray();

    public static void MapEventsApi(this IEndpointRouteBuilder api) => api.MapRead("/events", Open);

    static async Task Open(HttpContext ctx, Caller caller, Db db, EventHub hub, IHostApplicationLifetime lifetime)
    {
        if (!caller.Can(Scopes.Read))
            throw ApiError.Forbidden();
        var filter = Filter(ctx.Request);
        var resumeAfter = LastEventId(ctx.Request);
        using var subscription = hub.Open(caller.AccountId, filter)
            ?? throw new ApiError(429, "too_many_requests",
                $"This account has {hub.Settings.MaxStreamsPerAccount} event streams open, as many as it may; close one first.") { RetryAfterSeconds = 10 };

        var response = ctx.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        // Proxies such as nginx would otherwise hold events back to fill their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        if (HttpMethods.IsHead(ctx.Request.Method))
            return;
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        var ct = ending.Token;
        var stream = new Sender(response.Body, db, subscription, ct);
        try
        {
            await stream.Start(resumeAfter);
            await stream.Follow(hub.Settings.Heartbeat);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left, or the server stops: the response ends here, cleanly.
        }
    }

    sealed class Sender(Stream body, Db db, EventHub.Subscription subscription, CancellationToken ct)
    {
        long position;

        public Task Send(byte[] bytes) => body.WriteAsync(bytes, ct).AsTask();

        /// <summary>
        /// Fixes where the stream starts, after its subscription is open (so every later event reaches it, and earlier ones
        /// come from the store), and only then answers: a client that has the headers misses nothing written after them.
        /// </summary>
        public async Task Start(long? resumeAfter)
        {
            if (resumeAfter is not { } last)
            {
                position = (await db.Read(EventsSql.Bounds)).Last;
                await Send(Retry);
                await body.FlushAsync(ct);
                return;
            }
            // The bounds are read after the first page: if nothing after `last` was pruned by then, the page is whole.
            var rows = await db.Read(c => EventsSql.OfAccountAfter(c, subscription.AccountId, last, CatchUpPage));
            var bounds = await db.Read(EventsSql.Bounds);
            await Send(Retry);
            if (last < bounds.First - 1 || last > bounds.Last)
            {
                position = bounds.Last;
                await Send(Resync(last, bounds.Last));
                await body.FlushAsync(ct);
                return;
            }
            position = last;
            await Write(rows);
            if (rows.Count == CatchUpPage)
                await CatchUp();
            await body.FlushAsync(ct);
        }

        public async Task Follow(TimeSpan heartbeat)
        {
            var frames = subscription.Frames;
            while (true)
            {
                if (subscription.TakeLagged())
                    await CatchUp();
                var sent = false;
                while (frames.TryRead(out var frame))
                    if (frame.Id > position)
                    {
                        await Send(frame.Message);
                        position = frame.Id;
                        sent = true;
                    }
                if (sent)
                    await body.FlushAsync(ct);
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(heartbeat);
                try
                {
                    await frames.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await Send(Heartbeat);
                    await body.FlushAsync(ct);
                }
            }
        }

        /// <summary>Everything after the position that the store holds, page by page.</summary>
        async Task CatchUp()
        {
            while (true)
            {
                var rows = await db.Read(c => EventsSql.OfAccountAfter(c, subscription.AccountId, position, CatchUpPage));
                await Write(rows);
                if (rows.Count < CatchUpPage)
                    return;
            }
        }

        async Task Write(List<EventRow> rows)
        {
            foreach (var row in rows)
            {
                var frame = EventFrame.Of(row);
                if (subscription.Filter.Matches(frame))
                    await Send(frame.Message);
                position = row.Id;
            }
        }
    }

    static byte[] Resync(long asked, long now) => System.Text.Encoding.UTF8.GetBytes(
        $"id: {now}\nevent: resync\ndata: {{\"type\":\"resync\",\"last_event_id\":{asked},\"message\":\"Events after {asked} are no longer kept " +
        "(or never were): read the resources again; the stream goes on from now.\"}\n\n");

    static EventFilter Filter(HttpRequest request)
    {
        var errors = new List<FieldError>();
        var types = List(request, "resource_type");
        if (types?.FirstOrDefault(t => !ResourceTypes.Contains(t)) is { } unknown)
            errors.Add(new FieldError("resource_type", $"'{unknown}' is not a resource type; use {string.Join(", ", ResourceTypes)} (comma-separated for several)"));
        var ids = List(request, "resource_id");
        if (ids is { Count: > MaxIds })
            errors.Add(new FieldError("resource_id", $"give at most {MaxIds} ids"));
        else if (ids?.FirstOrDefault(id => id.Length > 253) is not null)
            errors.Add(new FieldError("resource_id", "an id is at most 253 characters long"));
        if (types is [])
            errors.Add(new FieldError("resource_type", "must name at least one resource type when given"));
        if (ids is [])
            errors.Add(new FieldError("resource_id", "must name at least one id when given"));
        if (errors.Count > 0)
            throw ApiError.Invalid(errors);
        return new EventFilter(types?.ToHashSet(), ids?.ToHashSet());
    }

    /// <summary>A comma-separated (or repeated) query parameter; null when absent, empty when given without a value.</summary>
    static List<string>? List(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values)
            ? values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList()
            : null;

    /// <summary>Where a reconnecting stream resumes: the Last-Event-ID header (what EventSource sends), else ?last_event_id=.</summary>
    static long? LastEventId(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].ToString();
        var name = "The Last-Event-ID header";
        if (text.Length == 0 && request.Query["last_event_id"].ToString() is { Length: > 0 } query)
            (text, name) = (query, "The query parameter last_event_id");
        if (text.Length == 0)
            return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw ApiError.BadRequest($"{name} must be an event id (a whole number ≥ 0) from this stream, not '{text}'.");
    }
}
