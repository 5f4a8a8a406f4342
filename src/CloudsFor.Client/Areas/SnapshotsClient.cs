using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>
/// Snapshots of VMs and volumes (/snapshots). A volume's are made with <see cref="VolumesClient.CreateSnapshotAsync"/>, a VM's
/// with its snapshot action. Delete answers at once; a destroy action removes the snapshot's files in the background.
/// </summary>
public sealed class SnapshotsClient
{
    readonly Connection connection;

    internal SnapshotsClient(Connection connection) => this.connection = connection;

    /// <param name="resourceType">Only VM or only volume snapshots (<see cref="SnapshotResourceType"/>).</param>
    public IAsyncEnumerable<Snapshot> ListAsync(string? resourceType = null, string? tagName = null, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("snapshots", ("resource_type", resourceType), ("tag_name", tagName), ("per_page", perPage)), "snapshots",
            ClientJson.Default.ListSnapshot, cancellationToken);

    public Task<Page<Snapshot>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("snapshots", ("page", page), ("per_page", perPage)), "snapshots", ClientJson.Default.ListSnapshot, cancellationToken);

    public Task<Snapshot> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(id), "snapshot", ClientJson.Default.Snapshot, cancellationToken);

    /// <summary>Deletes the snapshot (a VM snapshot's image with it). One still being made is an <see cref="ApiException"/> (409).</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(id), cancellationToken);

    static string PathOf(string id) => "snapshots/" + Paths.Segment(id);
}
