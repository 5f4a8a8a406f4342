using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>
/// Actions on one VM. Each starts in the background and answers at once with the action (wait for it with
/// <see cref="ActionsClient.WaitForActionAsync"/>). While another action runs the VM is locked; the 409 that
/// answers is retried by the client until the VM is free or its retries run out.
/// </summary>
public sealed class VmActionsClient
{
    readonly Connection connection;

    internal VmActionsClient(Connection connection) => this.connection = connection;

    public Task<CloudAction> RunAsync(string vmId, VmActionRequest action, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, VmsClient.PathOf(vmId) + "/actions", action, ClientJson.Default.VmActionRequest, "action", ClientJson.Default.CloudAction, cancellationToken);

    public Task<CloudAction> PowerOnAsync(string vmId, CancellationToken cancellationToken = default) => RunAsync(vmId, new(VmActionType.PowerOn), cancellationToken);

    /// <summary>A hard power off; see <see cref="ShutdownAsync"/> for the graceful one.</summary>
    public Task<CloudAction> PowerOffAsync(string vmId, CancellationToken cancellationToken = default) => RunAsync(vmId, new(VmActionType.PowerOff), cancellationToken);

    public Task<CloudAction> ShutdownAsync(string vmId, CancellationToken cancellationToken = default) => RunAsync(vmId, new(VmActionType.Shutdown), cancellationToken);

    public Task<CloudAction> RebootAsync(string vmId, CancellationToken cancellationToken = default) => RunAsync(vmId, new(VmActionType.Reboot), cancellationToken);

    public Task<CloudAction> PowerCycleAsync(string vmId, CancellationToken cancellationToken = default) => RunAsync(vmId, new(VmActionType.PowerCycle), cancellationToken);

    public Task<CloudAction> RenameAsync(string vmId, string name, CancellationToken cancellationToken = default) =>
        RunAsync(vmId, new(VmActionType.Rename, Name: name), cancellationToken);

    /// <param name="growDisk">grow the disk to the size's too (disks never shrink).</param>
    public Task<CloudAction> ResizeAsync(string vmId, string size, bool growDisk = false, CancellationToken cancellationToken = default) =>
        RunAsync(vmId, new(VmActionType.Resize, Size: size, Disk: growDisk ? true : null), cancellationToken);

    /// <param name="image">an image id or slug.</param>
    public Task<CloudAction> RebuildAsync(string vmId, string image, CancellationToken cancellationToken = default) =>
        RunAsync(vmId, new(VmActionType.Rebuild, Image: image), cancellationToken);

    /// <param name="image">an image id or slug.</param>
    /// <param name="sshKeys">the keys the rebuilt VM gets instead of its own: key ids, fingerprints or public keys.</param>
    public Task<CloudAction> RebuildAsync(string vmId, string image, IReadOnlyList<string> sshKeys, CancellationToken cancellationToken = default) =>
        RunAsync(vmId, new(VmActionType.Rebuild, Image: image, SshKeys: sshKeys), cancellationToken);

    /// <param name="name">the snapshot's name; the server's default is the VM's name with "-snapshot".</param>
    public Task<CloudAction> SnapshotAsync(string vmId, string? name = null, CancellationToken cancellationToken = default) =>
        RunAsync(vmId, new(VmActionType.Snapshot, Name: name), cancellationToken);

    /// <summary>One action (power_on, power_off, shutdown, reboot, power_cycle or snapshot) on every VM with the tag.</summary>
    public async Task<IReadOnlyList<CloudAction>> RunForTagAsync(string tagName, string type, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, Paths.With("vms/actions", ("tag_name", tagName)), new VmActionRequest(type),
            ClientJson.Default.VmActionRequest, cancellationToken).ConfigureAwait(false);
        return Connection.One(answer.Body, "actions", ClientJson.Default.ListCloudAction);
    }

    public IAsyncEnumerable<CloudAction> ListAsync(string vmId, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With(VmsClient.PathOf(vmId) + "/actions", ("per_page", perPage)), "actions", ClientJson.Default.ListCloudAction, cancellationToken);

    public Task<CloudAction> GetAsync(string vmId, string actionId, CancellationToken cancellationToken = default) =>
        connection.GetAsync(VmsClient.PathOf(vmId) + "/actions/" + Paths.Segment(actionId), "action", ClientJson.Default.CloudAction, cancellationToken);
}
