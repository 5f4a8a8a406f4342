using System.Text;
using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>One SSE message as it came: its fields (an event, a resync, a retry hint) or a comment line (a heartbeat).</summary>
public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment, string? Retry)
{
    public long EventId => long.Parse(Id!);

    public JsonElement Json => JsonDocument.Parse(Data!).RootElement.Clone();

    public override string ToString() => Comment is not null ? $": {Comment}" : $"{Id} {Event} {Data}";
}

/// <summary>
/// GET /events read the way an EventSource reads it, line by line over the real connection. Reads wait up to a deadline
/// (a failure message then, never a speed claim); a stream that ended gives null.
/// </summary>
public sealed class EventStream : IDisposable
{
    static readonly TimeSpan Deadline = Poll.DefaultDeadline;

    readonly HttpResponseMessage response;
    readonly StreamReader reader;

    EventStream(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => response;

    /// <summary>Opens a stream that must be accepted (200, text/event-stream); <paramref name="query"/> starts with '?' when given.</summary>
    public static async Task<EventStream> Open(ApiClient api, string query = "", long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url("/events" + query));
        if (api.Authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", api.Authorization);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        if (lastEventId is not null)
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId.ToString());
        var response = await api.Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if ((int)response.StatusCode != 200)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"GET /events{query} answered {(int)response.StatusCode}: {text}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The status GET /events answers, read from its headers alone (an accepted stream is closed at once).</summary>
    public static async Task<int> Status(ApiClient api, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url("/events" + query));
        request.Headers.TryAddWithoutValidation("Authorization", api.Authorization);
        using var response = await api.Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (int)response.StatusCode;
    }

    /// <summary>The next message of any kind, or null when the server ended the stream.</summary>
    public async Task<SseMessage?> Next()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await Next(deadline.Token);
    }

    async Task<SseMessage?> Next(CancellationToken deadline)
    {
        string? id = null, type = null, retry = null, comment = null;
        StringBuilder? data = null;
        var any = false;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no message on the event stream within {Deadline.TotalSeconds} s");
            }
            if (line is null)
                return any ? new SseMessage(id, type, data?.ToString(), comment, retry) : null;
            if (line.Length == 0)
            {
                if (any)
                    return new SseMessage(id, type, data?.ToString(), comment, retry);
                continue;
            }
            any = true;
            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
                return new SseMessage(null, null, null, comment, null);
            }
            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "retry": retry = value; break;
                case "data": (data ??= new StringBuilder()).Append(data.Length > 0 ? "\n" : "").Append(value); break;
            }
        }
    }

    /// <summary>The next message with data (an event or a resync), skipping heartbeats and the retry hint, which do not put off the deadline.</summary>
    public async Task<SseMessage> NextEvent()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var message = await Next(deadline.Token) ?? throw new InvalidOperationException("the event stream ended");
            if (message.Data is not null)
                return message;
        }
    }

    /// <summary>Events up to and including the first that <paramref name="last"/> picks.</summary>
    public async Task<List<SseMessage>> Until(Func<SseMessage, bool> last)
    {
        var events = new List<SseMessage>();
        while (true)
        {
            var message = await NextEvent();
            events.Add(message);
            if (last(message))
                return events;
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
