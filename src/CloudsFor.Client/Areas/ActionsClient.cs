using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Every action of the account, newest last.</summary>
public sealed class ActionsClient
{
    readonly Connection connection;

    internal ActionsClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<CloudAction> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("actions", ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    public Task<Page<CloudAction>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("actions", ("page", page), ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    public Task<CloudAction> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync("actions/" + Paths.Segment(id), "action", ClientJson.Default.CloudAction, cancellationToken);

    /// <summary>
    /// Asks until the action is completed and returns it. <paramref name="progress"/> hears the action each time it changed
    /// (the first answer included); an ask that finds nothing new is a bodiless 304. Bound the wait with the CancellationToken.
    /// </summary>
    /// <exception cref="WaitFailedException">The action errored; <see cref="WaitFailedException.Action"/> holds it, with its error.</exception>
    public async Task<CloudAction> WaitForActionAsync(string actionId, IProgress<CloudAction>? progress = null, CancellationToken cancellationToken = default)
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
                if (changed.Status == ActionStatus.Completed)
                    return changed;
                if (changed.Status == ActionStatus.Errored)
                    throw new WaitFailedException($"Action {actionId} ({changed.Type}) errored: {changed.Error}", action: changed);
            }
            await Task.Delay(connection.Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
