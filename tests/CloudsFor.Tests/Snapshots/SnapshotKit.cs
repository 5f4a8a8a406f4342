using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>Snapshot helpers that do what a client script does, and whether the simulated driver holds a snapshot.</summary>
public static class SnapshotKit
{
    /// <summary>POST /volumes/{id}/snapshots (202); returns the snapshot as accepted and the id of its action.</summary>
    public static async Task<(JsonElement Snapshot, string ActionId)> Create(ApiClient api, string volumeId, string name = "nightly", string[]? tags = null)
    {
        var created = (await api.Post($"/volumes/{volumeId}/snapshots", new { name, tags = tags ?? [] })).Expect(202);
        return (created["snapshot"], created["links"].GetProperty("actions")[0].Str("id"));
    }

    /// <summary>Snapshots a volume and waits for the action to complete; returns the snapshot as GET shows it then.</summary>
    public static async Task<JsonElement> CreateAvailable(ApiClient api, string volumeId, string name = "nightly", string[]? tags = null)
    {
        var (snapshot, actionId) = await Create(api, volumeId, name, tags);
        Assert.Equal("completed", (await Vms.WaitForAction(api, actionId)).Status());
        return await Get(api, snapshot.Str("id"));
    }

    /// <summary>Snapshots a VM (the snapshot action) and returns its snapshot's id.</summary>
    public static async Task<string> OfVm(ApiClient api, string vmId, string name = "golden")
    {
        await Vms.RunCompleted(api, vmId, new { type = "snapshot", name });
        return (await api.Get($"/vms/{vmId}/snapshots")).Expect(200)["snapshots"].Ids()[^1];
    }

    public static async Task<JsonElement> Get(ApiClient api, string id) => (await api.Get($"/snapshots/{id}")).Expect(200)["snapshot"];

    /// <summary>The destroy action a DELETE started, found as a user finds it (GET /actions), waited for to its end.</summary>
    public static async Task<JsonElement> DestroyAction(ApiClient api, string snapshotId)
    {
        var actions = (await api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray()
            .Where(a => a.Str("resource_id") == snapshotId && a.Str("type") == "destroy").ToList();
        Assert.Single(actions);
        Assert.Equal("snapshot", actions[0].Str("resource_type"));
        return await Vms.WaitForAction(api, actions[0].Str("id"));
    }

    /// <summary>Whether the simulated hypervisor holds the volume snapshot's copy.</summary>
    public static bool VolumeSnapshotStored(ServerProcess server, string id) => SimulatedRows.Has(server, "volume_snapshot", id);

    /// <summary>Whether the simulated hypervisor holds the VM snapshot's (the image's) copy.</summary>
    public static bool ImageStored(ServerProcess server, string id) => SimulatedRows.Has(server, "image", id);
}
