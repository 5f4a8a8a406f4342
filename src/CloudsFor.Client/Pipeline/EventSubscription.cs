using System.Text.Json;
using CloudsFor.Client.Models;

namespace CloudsFor.Client.Pipeline;

/// <summary>
/// One open GET /events that outlives its connections: when a connection drops or the server ends it (a restart), it waits
/// the server's retry time and reconnects with Last-Event-ID, so nothing is missed and nothing repeats. It gives up after
/// <see cref="RetryOptions.MaxRetries"/> failed reconnects in a row, or at once on an answer that will not change (a 4xx).
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    readonly Connection connection;
    readonly string path;
    long? lastEventId;
    TimeSpan retry = TimeSpan.FromSeconds(2);
    HttpResponseMessage? response;
    ServerSentEvents? events;

    EventSubscription(Connection connection, string path, long? lastEventId) =>
        (this.connection, this.path, this.lastEventId) = (connection, path, lastEventId);

    /// <summary>Returns once the server answered: every change after this moment will come.</summary>
    public static async Task<EventSubscription> OpenAsync(Connection connection, string path, long? lastEventId, CancellationToken cancellationToken)
    {
        var subscription = new EventSubscription(connection, path, lastEventId);
        await subscription.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return subscription;
    }

    async Task ConnectAsync(CancellationToken cancellationToken)
    {
        response = await connection.OpenStreamAsync(path, lastEventId, cancellationToken).ConfigureAwait(false);
        events = new ServerSentEvents(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<CloudEvent> NextAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            SseMessage? message = null;
            try
            {
                if (events is not null)
                    message = await events.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped: reconnect below.
            }
            if (message is null)
            {
                Close();
                var wait = retry;
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception e) when (Transient(e) && failures++ < connection.Options.Retry.MaxRetries && !cancellationToken.IsCancellationRequested)
                {
                    if (e is ApiException { RetryAfter: { } after } && after > retry)
                        await Task.Delay(after, cancellationToken).ConfigureAwait(false);
                }
                continue;
            }
            if (message.RetryMilliseconds is { } ms)
                retry = TimeSpan.FromMilliseconds(ms);
            if (message.Data is null)
                continue;
            var cloudEvent = JsonSerializer.Deserialize(message.Data, ClientJson.Default.CloudEvent)
                             ?? throw new JsonException("An event's data is null.");
            if (long.TryParse(message.Id, out var id))
            {
                lastEventId = id;
                cloudEvent = cloudEvent with { Id = id };
            }
            return cloudEvent;
        }
    }

    static bool Transient(Exception e) => e is HttpRequestException or TimeoutException or ApiException { Status: 429 or >= 500 };

    void Close()
    {
        events?.Dispose();
        response?.Dispose();
        (events, response) = (null, null);
    }

    public void Dispose() => Close();
}
