using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>/snapshots: VM snapshots (images of type snapshot, same ids) and volume snapshots as one collection; DELETE removes the file now.</summary>
public sealed class SnapshotsTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Both_kinds_are_listed_filtered_and_paged_in_creation_order()
    {
        var user = await TestAccounts.Create(Server);
        var vmId = (await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb")).Str("id");
        var vmSnapshot = await SnapshotKit.OfVm(user.Api, vmId);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        var volumeSnapshot = (await SnapshotKit.CreateAvailable(user.Api, volumeId, tags: ["weekly"])).Str("id");

        var all = (await user.Api.Get("/snapshots")).Expect(200);
        Assert.Equal([vmSnapshot, volumeSnapshot], all["snapshots"].Ids());
        Assert.Equal(2, all["meta"].GetProperty("total").GetInt32());
        Assert.Equal([vmSnapshot], (await user.Api.Get("/snapshots?resource_type=vm")).Expect(200)["snapshots"].Ids());
        Assert.Equal([volumeSnapshot], (await user.Api.Get("/snapshots?resource_type=volume")).Expect(200)["snapshots"].Ids());
        Assert.Equal([volumeSnapshot], (await user.Api.Get("/snapshots?tag_name=weekly")).Expect(200)["snapshots"].Ids());
        var second = (await user.Api.Get("/snapshots?per_page=1&page=2")).Expect(200);
        Assert.Equal([volumeSnapshot], second["snapshots"].Ids());
        Assert.Equal(2, second["meta"].GetProperty("total").GetInt32());
        Assert.Empty((await user.Api.Get("/snapshots?page=3&per_page=1")).Expect(200)["snapshots"].EnumerateArray());
        (await user.Api.Get("/snapshots?resource_type=droplet")).ExpectError(400, "bad_request");
        (await user.Api.Get("/snapshots?tag_name=no%20spaces")).ExpectError(400, "bad_request");
        (await user.Api.Get("/snapshots?per_page=201")).ExpectError(400, "bad_request");
    }

    [Fact]
    public async Task A_vm_snapshot_is_its_image_sized_from_the_drivers_file()
    {
        var user = await TestAccounts.Create(Server);
        var vmId = (await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb")).Str("id");
        var id = await SnapshotKit.OfVm(user.Api, vmId, "golden");

        var snapshot = await SnapshotKit.Get(user.Api, id);
        Assert.Equal(("golden", "vm", vmId, 25, "available"),
            (snapshot.Str("name"), snapshot.Str("resource_type"), snapshot.Str("resource_id"), snapshot.GetProperty("min_disk_size").GetInt32(), snapshot.Status()));
        // 25 GiB of disk at the simulated driver's 40 MiB per GiB: 1000 MiB.
        Assert.Equal(0.98, snapshot.GetProperty("size_gigabytes").GetDouble());
        Assert.Equal(0.98, (await user.Api.Get($"/images/{id}")).Expect(200)["image"].GetProperty("size_gigabytes").GetDouble());
        Assert.Equal(["fra1"], snapshot.GetProperty("regions").Strings());
        Assert.True(SnapshotKit.ImageStored(Server, id));
        (await user.Api.Get("/snapshots/0123456789abcdef0123456789abcdef")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Deleting_a_volume_snapshot_removes_its_file_through_an_action()
    {
        var user = await TestAccounts.Create(Server);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        var id = (await SnapshotKit.CreateAvailable(user.Api, volumeId)).Str("id");
        Assert.True(SnapshotKit.VolumeSnapshotStored(Server, id));

        (await user.Api.Delete($"/snapshots/{id}")).Expect(204);
        (await user.Api.Get($"/snapshots/{id}")).ExpectError(404, "not_found");
        Assert.Empty((await user.Api.Get($"/volumes/{volumeId}/snapshots")).Expect(200)["snapshots"].EnumerateArray());
        Assert.Equal("completed", (await SnapshotKit.DestroyAction(user.Api, id)).Status());
        Assert.False(SnapshotKit.VolumeSnapshotStored(Server, id));
        (await user.Api.Delete($"/snapshots/{id}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Deleting_a_vm_snapshot_removes_its_image_and_its_file_now()
    {
        var user = await TestAccounts.Create(Server);
        var vmId = (await Vms.CreateActive(user.Api)).Str("id");
        var viaSnapshots = await SnapshotKit.OfVm(user.Api, vmId, "first");
        var viaImages = await SnapshotKit.OfVm(user.Api, vmId, "second");
        // A VM made from a snapshot does not keep it: the snapshot goes, the VM stays.
        var clone = await Vms.CreateActive(user.Api, image: viaSnapshots);

        (await user.Api.Delete($"/snapshots/{viaSnapshots}")).Expect(204);
        (await user.Api.Delete($"/images/{viaImages}")).Expect(204);
        foreach (var id in new[] { viaSnapshots, viaImages })
        {
            Assert.Equal("completed", (await SnapshotKit.DestroyAction(user.Api, id)).Status());
            Assert.False(SnapshotKit.ImageStored(Server, id));
            (await user.Api.Get($"/images/{id}")).ExpectError(404, "not_found");
        }
        Assert.Empty((await user.Api.Get("/snapshots")).Expect(200)["snapshots"].EnumerateArray());
        Assert.Empty((await Vms.Get(user.Api, vmId)).GetProperty("snapshot_ids").EnumerateArray());
        Assert.Equal("active", (await Vms.Get(user.Api, clone.Str("id"))).Status());
    }

    [Fact]
    public async Task A_stale_if_match_keeps_the_snapshot()
    {
        var user = await TestAccounts.Create(Server);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        var id = (await SnapshotKit.CreateAvailable(user.Api, volumeId)).Str("id");
        (await user.Api.Delete($"/snapshots/{id}", new Dictionary<string, string> { ["If-Match"] = "\"stale\"" })).ExpectError(412, "precondition_failed");
        var etag = (await user.Api.Get($"/snapshots/{id}")).Expect(200).Header("ETag")!;
        (await user.Api.Delete($"/snapshots/{id}", new Dictionary<string, string> { ["If-Match"] = etag })).Expect(204);
    }

    [Fact]
    public async Task Snapshot_changes_are_events()
    {
        var user = await TestAccounts.Create(Server);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        using var stream = await EventStream.Open(user.Api, "?resource_type=snapshot");
        var id = (await SnapshotKit.CreateAvailable(user.Api, volumeId)).Str("id");
        (await user.Api.Delete($"/snapshots/{id}")).Expect(204);

        var events = await stream.Until(e => e.Event == "snapshot.deleted");
        Assert.Equal(["snapshot.created", "snapshot.updated", "snapshot.deleted"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal(id, e.Json.Str("resource_id")));
        Assert.Equal(["creating", "available"], events.Take(2).Select(e => e.Json.GetProperty("resource").Status()));
    }
}
