using System.Text;

namespace CloudsFor.Client.Pipeline;

/// <summary>One message of a text/event-stream: the fields the API sends (comments are skipped).</summary>
internal sealed record SseMessage(string? Id, string? Event, string? Data, int? RetryMilliseconds);

/// <summary>Reads text/event-stream messages as the HTML standard defines them (the fields id, event, data and retry).</summary>
internal sealed class ServerSentEvents(Stream body) : IDisposable
{
    readonly StreamReader reader = new(body, Encoding.UTF8);

    /// <summary>The next message, or null when the server ended the stream.</summary>
    public async Task<SseMessage?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null;
        int? retry = null;
        StringBuilder? data = null;
        var any = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                    return new SseMessage(id, type, data?.ToString(), retry);
                continue;
            }
            if (line[0] == ':')
                continue; // a comment: the server's heartbeat
            any = true;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
                value = value[1..];
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "retry" when int.TryParse(value, out var ms): retry = ms; break;
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
            }
        }
        return null;
    }

    public void Dispose() => reader.Dispose();
}
