using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Every action of the account, newest last.</summary>
public sealed class ActionsClient
{
    readonly Connection connection;
    readonly EventsClient events;

    internal ActionsClient(Connection connection, EventsClient events) => (this.connection, this.events) = (connection, events);

    public IAsyncEnumerable<CloudAction> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("actions", ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    public Task<Page<CloudAction>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("actions", ("page", page), ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    public Task<CloudAction> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync("actions/" + Paths.Segment(id), "action", ClientJson.Default.CloudAction, cancellationToken);

    /// <summary>
    /// Waits until the action is completed and returns it. <paramref name="progress"/> hears the action each time it changed
    /// (its state when the wait begins included). It listens to the event stream (GET /events) and reads the action once; where
    /// the stream cannot be opened (an older server, a token without the read scope) it asks every PollInterval instead, where an
    /// ask that finds nothing new is a bodiless 304. Bound the wait with the CancellationToken.
    /// </summary>
    /// <exception cref="WaitFailedException">The action errored; <see cref="WaitFailedException.Action"/> holds it, with its error.</exception>
    public async Task<CloudAction> WaitForActionAsync(string actionId, IProgress<CloudAction>? progress = null, CancellationToken cancellationToken = default)
    {
        EventSubscription? stream = null;
        try
        {
            stream = await events.OpenAsync(new EventFilter([EventResourceType.Action], [actionId]), null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TimeoutException)
        {
            return await PollForActionAsync(actionId, progress, cancellationToken).ConfigureAwait(false);
        }
        using (stream)
        {
            // The stream is open, so any change after this read comes as an event.
            var action = await GetAsync(actionId, cancellationToken).ConfigureAwait(false);
            CloudAction? reported = null;
            while (true)
            {
                if (action != reported)
                    progress?.Report(reported = action);
                if (Finished(action))
                    return action;
                action = (await stream.NextAsync(cancellationToken).ConfigureAwait(false)) switch
                {
                    { IsResync: true } => await GetAsync(actionId, cancellationToken).ConfigureAwait(false),
                    { Action: { } changed } when changed.Id == actionId => changed,
                    _ => action,
                };
            }
        }
    }

    static bool Finished(CloudAction action) => action.Status switch
    {
        ActionStatus.Completed => true,
        ActionStatus.Errored => throw new WaitFailedException($"Action {action.Id} ({action.Type}) errored: {action.Error}", action: action),
        _ => false,
    };

    async Task<CloudAction> PollForActionAsync(string actionId, IProgress<CloudAction>? progress, CancellationToken cancellationToken)
    {
        string? etag = null;
        while (true)
        {
            var (changed, newETag) = await connection.GetIfChangedAsync("actions/" + Paths.Segment(actionId), "action", ClientJson.Default.CloudAction, etag, cancellationToken)
                .ConfigureAwait(false);
            etag = newETag;
            if (changed is not null)
            {
                progress?.Report(changed);
                if (Finished(changed))
                    return changed;
            }
            await Task.Delay(connection.Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
