using System.Text.Json;
using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Which VMs a list shows; every filter that is set must match.</summary>
public sealed record VmFilter(string? TagName = null, string? Name = null, string? Status = null, string? Region = null);

/// <summary>VMs: created and deleted in the background through actions; name and tags change in place.</summary>
public sealed class VmsClient
{
    readonly Connection connection;
    readonly EventsClient events;

    internal VmsClient(Connection connection, EventsClient events) => (this.connection, this.events) = (connection, events);

    public IAsyncEnumerable<Vm> ListAsync(VmFilter? filter = null, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Query(filter, null, perPage), "vms", ClientJson.Default.ListVm, cancellationToken);

    public Task<Page<Vm>> GetPageAsync(int page = 1, int? perPage = null, VmFilter? filter = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Query(filter, page, perPage), "vms", ClientJson.Default.ListVm, cancellationToken);

    public Task<Vm> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(id), "vm", ClientJson.Default.Vm, cancellationToken);

    /// <summary>Starts creating a VM: it comes back in status new and locked; wait for <see cref="VmCreated.ActionId"/> or use <see cref="WaitForVmAsync"/>.</summary>
    public async Task<VmCreated> CreateAsync(CreateVmRequest vm, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, "vms", vm, ClientJson.Default.CreateVmRequest, cancellationToken).ConfigureAwait(false);
        return new VmCreated(Connection.One(answer.Body, "vm", ClientJson.Default.Vm), ActionIds(answer.Body)[0]);
    }

    /// <summary>Starts creating up to 10 VMs alike, one per name.</summary>
    public async Task<VmsCreated> CreateManyAsync(CreateVmsRequest vms, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, "vms", vms, ClientJson.Default.CreateVmsRequest, cancellationToken).ConfigureAwait(false);
        return new VmsCreated(Connection.One(answer.Body, "vms", ClientJson.Default.ListVm), ActionIds(answer.Body));
    }

    /// <summary>Sets the name and/or tags.</summary>
    public Task<Vm> UpdateAsync(string id, UpdateVmRequest vm, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, PathOf(id), vm, ClientJson.Default.UpdateVmRequest, "vm", ClientJson.Default.Vm, cancellationToken);

    /// <summary>Starts destroying the VM; it is gone from the API at once.</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(id), cancellationToken);

    /// <summary>Deletes every VM that carries the tag.</summary>
    public Task DeleteByTagAsync(string tagName, CancellationToken cancellationToken = default) =>
        connection.DeleteAsync(Paths.With("vms", ("tag_name", tagName)), cancellationToken);

    /// <summary>The images made from this VM.</summary>
    public IAsyncEnumerable<Image> ListSnapshotsAsync(string id, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With(PathOf(id) + "/snapshots", ("per_page", perPage)), "snapshots", ClientJson.Default.ListImage, cancellationToken);

    /// <summary>
    /// Waits until the VM is in <paramref name="status"/> (a <see cref="VmStatus"/>) with no action on it. It listens to the event
    /// stream and reads the VM once; where the stream cannot be opened it asks every PollInterval, each ask after the first with
    /// the last ETag, so a VM that did not change costs a bodiless 304. Bound the wait with the CancellationToken.
    /// </summary>
    /// <exception cref="WaitFailedException">The VM went to errored while another status was awaited.</exception>
    /// <exception cref="ApiException">404: the VM is gone (or was deleted while awaited).</exception>
    public async Task<Vm> WaitForVmAsync(string id, string status, CancellationToken cancellationToken = default)
    {
        EventSubscription? stream = null;
        try
        {
            stream = await events.OpenAsync(new EventFilter([EventResourceType.Vm], [id]), null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TimeoutException)
        {
            return await PollForVmAsync(id, status, cancellationToken).ConfigureAwait(false);
        }
        using (stream)
        {
            // The stream is open, so any change after this read comes as an event.
            var vm = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            while (!Reached(vm, status))
                vm = (await stream.NextAsync(cancellationToken).ConfigureAwait(false)) switch
                {
                    { Vm: { } changed } when changed.Id == id => changed,
                    // Missed events or a deletion: the VM as it is now (a 404 once deleted).
                    { IsResync: true } or { Type: "vm.deleted" } => await GetAsync(id, cancellationToken).ConfigureAwait(false),
                    _ => vm,
                };
            return vm;
        }
    }

    static bool Reached(Vm vm, string status)
    {
        if (vm.Locked || vm.Status == status)
            return !vm.Locked;
        if (vm.Status == VmStatus.Errored)
            throw new WaitFailedException($"VM {vm.Id} is errored; it will not become {status} by itself.", vm: vm);
        return false;
    }

    async Task<Vm> PollForVmAsync(string id, string status, CancellationToken cancellationToken)
    {
        string? etag = null;
        Vm? vm = null;
        while (true)
        {
            var (changed, newETag) = await connection.GetIfChangedAsync(PathOf(id), "vm", ClientJson.Default.Vm, etag, cancellationToken).ConfigureAwait(false);
            (vm, etag) = (changed ?? vm, newETag);
            if (Reached(vm!, status))
                return vm!;
            await Task.Delay(connection.Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string PathOf(string id) => "vms/" + Paths.Segment(id);

    static string Query(VmFilter? f, int? page, int? perPage) =>
        Paths.With("vms", ("tag_name", f?.TagName), ("name", f?.Name), ("status", f?.Status), ("region", f?.Region), ("page", page), ("per_page", perPage));

    static IReadOnlyList<string> ActionIds(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var links = document.RootElement.GetProperty("links").GetProperty("actions").Deserialize(ClientJson.Default.ListActionLink) ?? [];
        return links.Select(l => l.Id).ToList();
    }
}
