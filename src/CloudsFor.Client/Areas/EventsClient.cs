using System.Runtime.CompilerServices;
using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Which events a stream carries: only these resource types (see <see cref="EventResourceType"/>) and/or these resource ids.</summary>
public sealed record EventFilter(IReadOnlyList<string>? ResourceTypes = null, IReadOnlyList<string>? ResourceIds = null);

/// <summary>The account's changes as they happen (GET /events), instead of asking again and again.</summary>
public sealed class EventsClient
{
    readonly Connection connection;

    internal EventsClient(Connection connection) => this.connection = connection;

    /// <summary>
    /// Every change from now on (or after <paramref name="lastEventId"/>, an <see cref="CloudEvent.Id"/> seen before), oldest first,
    /// until cancelled. A dropped connection is resumed where it stopped; when the server no longer keeps the events after
    /// <paramref name="lastEventId"/>, a <see cref="CloudEvent.IsResync"/> event comes first: read the resources again.
    /// </summary>
    /// <exception cref="ApiException">The server refused the stream (a bad filter, 403 without the read scope, 404 before version 1 had events).</exception>
    public async IAsyncEnumerable<CloudEvent> StreamAsync(EventFilter? filter = null, long? lastEventId = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = await OpenAsync(filter, lastEventId, cancellationToken).ConfigureAwait(false);
        while (true)
            yield return await subscription.NextAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stream that is open when this returns: what a wait needs before it looks at the state once.</summary>
    internal Task<EventSubscription> OpenAsync(EventFilter? filter, long? lastEventId, CancellationToken cancellationToken) =>
        EventSubscription.OpenAsync(connection, Paths.With("events",
            ("resource_type", filter?.ResourceTypes is { } types ? string.Join(',', types) : null),
            ("resource_id", filter?.ResourceIds is { } ids ? string.Join(',', ids) : null)), lastEventId, cancellationToken);
}
