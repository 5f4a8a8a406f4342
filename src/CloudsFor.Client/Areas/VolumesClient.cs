using System.Text.Json;
using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>
/// Block storage volumes (/volumes) and their actions. Create, attach, detach, resize and delete run in the background:
/// each answers at once with the action to wait for (<see cref="ActionsClient.WaitForActionAsync"/>).
/// </summary>
public sealed class VolumesClient
{
    readonly Connection connection;

    internal VolumesClient(Connection connection) => this.connection = connection;

    /// <param name="tagName">only volumes with this tag.</param>
    public IAsyncEnumerable<Volume> ListAsync(string? name = null, string? region = null, int? perPage = null, string? tagName = null,
        CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("volumes", ("name", name), ("region", region), ("tag_name", tagName), ("per_page", perPage)), "volumes",
            ClientJson.Default.ListVolume, cancellationToken);

    public Task<Page<Volume>> GetPageAsync(int page = 1, int? perPage = null, string? tagName = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("volumes", ("tag_name", tagName), ("page", page), ("per_page", perPage)), "volumes", ClientJson.Default.ListVolume, cancellationToken);

    public Task<Volume> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(id), "volume", ClientJson.Default.Volume, cancellationToken);

    /// <summary>Starts creating a volume: it comes back in status creating; wait for <see cref="VolumeCreated.ActionId"/>.</summary>
    public async Task<VolumeCreated> CreateAsync(CreateVolumeRequest volume, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, "volumes", volume, ClientJson.Default.CreateVolumeRequest, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(answer.Body);
        var links = document.RootElement.GetProperty("links").GetProperty("actions").Deserialize(ClientJson.Default.ListActionLink) ?? [];
        return new VolumeCreated(Connection.One(answer.Body, "volume", ClientJson.Default.Volume), links[0].Id);
    }

    /// <summary>Starts destroying the volume; it is gone from the API at once. An attached volume is an <see cref="ApiException"/> (409).</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(id), cancellationToken);

    public Task<CloudAction> RunAsync(string id, VolumeActionRequest action, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, PathOf(id) + "/actions", action, ClientJson.Default.VolumeActionRequest, "action", ClientJson.Default.CloudAction, cancellationToken);

    /// <summary>An action on the volume named by <see cref="VolumeActionRequest.VolumeName"/> and <see cref="VolumeActionRequest.Region"/>.</summary>
    public Task<CloudAction> RunByNameAsync(VolumeActionRequest action, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "volumes/actions", action, ClientJson.Default.VolumeActionRequest, "action", ClientJson.Default.CloudAction, cancellationToken);

    /// <summary>Attaches the volume to a VM of its region (at most 7 volumes a VM).</summary>
    public Task<CloudAction> AttachAsync(string id, string vmId, CancellationToken cancellationToken = default) =>
        RunAsync(id, new(VolumeActionType.Attach, VmId: vmId), cancellationToken);

    public Task<CloudAction> DetachAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(id, new(VolumeActionType.Detach), cancellationToken);

    /// <summary>Grows the volume to <paramref name="sizeGigabytes"/>; volumes never shrink.</summary>
    public Task<CloudAction> ResizeAsync(string id, int sizeGigabytes, CancellationToken cancellationToken = default) =>
        RunAsync(id, new(VolumeActionType.Resize, SizeGigabytes: sizeGigabytes), cancellationToken);

    public IAsyncEnumerable<CloudAction> ListActionsAsync(string id, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With(PathOf(id) + "/actions", ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    /// <summary>Starts snapshotting the volume: the snapshot comes back creating; wait for <see cref="SnapshotCreated.ActionId"/>.</summary>
    public async Task<SnapshotCreated> CreateSnapshotAsync(string id, CreateSnapshotRequest snapshot, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, PathOf(id) + "/snapshots", snapshot, ClientJson.Default.CreateSnapshotRequest, cancellationToken)
            .ConfigureAwait(false);
        using var document = JsonDocument.Parse(answer.Body);
        var links = document.RootElement.GetProperty("links").GetProperty("actions").Deserialize(ClientJson.Default.ListActionLink) ?? [];
        return new SnapshotCreated(Connection.One(answer.Body, "snapshot", ClientJson.Default.Snapshot), links[0].Id);
    }

    public IAsyncEnumerable<Snapshot> ListSnapshotsAsync(string id, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With(PathOf(id) + "/snapshots", ("per_page", perPage)), "snapshots", ClientJson.Default.ListSnapshot, cancellationToken);

    internal static string PathOf(string id) => "volumes/" + Paths.Segment(id);
}
