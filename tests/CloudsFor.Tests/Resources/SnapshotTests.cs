using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>The snapshot action makes a private image of type snapshot: listed, renamable, deletable, and bootable.</summary>
public sealed class SnapshotTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_snapshot_is_a_private_image_listed_everywhere_it_should_be()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb");
        var id = vm.Str("id");
        var after = await Vms.RunCompleted(user.Api, id, new { type = "snapshot", name = "nightly" });
        Assert.Equal("active", after.Status());

        var snapshots = (await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"];
        Assert.Equal(1, snapshots.GetArrayLength());
        var snapshot = snapshots[0];
        var snapshotId = snapshot.Str("id");
        Formats.AssertId(snapshot.GetProperty("id"));
        Assert.Equal("nightly", snapshot.Str("name"));
        Assert.Equal("snapshot", snapshot.Str("type"));
        Assert.False(snapshot.GetProperty("public").GetBoolean());
        Assert.Equal(id, snapshot.Str("vm_id"));
        Assert.Equal(25, snapshot.GetProperty("min_disk_size").GetInt32());
        Formats.AssertTime(snapshot.GetProperty("created_at"));
        Assert.Equal([snapshotId], after.GetProperty("snapshot_ids").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal([snapshotId], (await user.Api.Get("/images?type=snapshot")).Expect(200)["images"].Ids());
        Assert.Equal([snapshotId], (await user.Api.Get("/images?private=true")).Expect(200)["images"].Ids());
        Assert.Contains(snapshotId, (await user.Api.Get("/images?per_page=200")).Expect(200)["images"].Ids());
        Assert.DoesNotContain(snapshotId, (await user.Api.Get("/images?type=distribution&per_page=200")).Expect(200)["images"].Ids());
        Assert.Equal(snapshot.GetRawText(), (await user.Api.Get($"/images/{snapshotId}")).Expect(200)["image"].GetRawText());
    }

    [Fact]
    public async Task A_snapshot_without_a_name_gets_one()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        await Vms.RunCompleted(user.Api, id, new { type = "snapshot" });
        var snapshot = (await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"][0];
        Assert.False(string.IsNullOrWhiteSpace(snapshot.Str("name")));
    }

    [Fact]
    public async Task A_snapshot_boots_a_new_vm_that_fits_its_disk()
    {
        var user = await TestAccounts.Create(Server);
        var source = (await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb")).Str("id");
        await Vms.RunCompleted(user.Api, source, new { type = "snapshot", name = "golden" });
        var snapshotId = (await user.Api.Get($"/vms/{source}/snapshots")).Expect(200)["snapshots"].Ids()[0];

        var tooSmall = await user.Api.Post("/vms", new { name = "from-snap", size = Vms.SmallSize, image = snapshotId });
        tooSmall.ExpectError(422, "unprocessable_entity");
        Assert.Contains("size", tooSmall.ErrorFields());

        var clone = await Vms.CreateActive(user.Api, name: "from-snap", size: "s-1vcpu-1gb", image: snapshotId);
        Assert.Equal(snapshotId, clone.GetProperty("image").Str("id"));
        Assert.Equal("active", clone.Status());
    }

    [Fact]
    public async Task A_snapshot_can_be_renamed_and_deleted()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        await Vms.RunCompleted(user.Api, id, new { type = "snapshot", name = "first-name" });
        var snapshotId = (await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"].Ids()[0];

        var renamed = (await user.Api.Put($"/images/{snapshotId}", new { name = "second-name", description = "before the upgrade" })).Expect(200)["image"];
        Assert.Equal("second-name", renamed.Str("name"));
        Assert.Equal("before the upgrade", renamed.Str("description"));
        var refused = await user.Api.Put($"/images/{snapshotId}", new { type = "distribution", @public = true });
        refused.ExpectError(422, "unprocessable_entity");
        Assert.Contains("type", refused.ErrorFields());

        (await user.Api.Delete($"/images/{snapshotId}")).Expect(204);
        (await user.Api.Get($"/images/{snapshotId}")).ExpectError(404, "not_found");
        Assert.Empty((await user.Api.Get("/images?type=snapshot")).Expect(200)["images"].EnumerateArray());
        Assert.Empty((await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"].EnumerateArray());
        Assert.Empty((await Vms.Get(user.Api, id)).GetProperty("snapshot_ids").EnumerateArray());
        (await user.Api.Delete($"/images/{snapshotId}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task A_snapshot_of_an_off_vm_is_allowed_and_keeps_it_off()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        Assert.Equal("off", (await Vms.RunCompleted(user.Api, id, new { type = "snapshot", name = "cold" })).Status());
    }
}
