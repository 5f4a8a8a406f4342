using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>POST and GET /volumes/{id}/snapshots: a snapshot is an action on its volume, creating until the driver made its copy.</summary>
public sealed class VolumeSnapshotTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_volume_snapshot_is_made_by_an_action_on_the_volume_and_sized_from_its_file()
    {
        var user = await TestAccounts.Create(Server);
        var volume = await VolumeKit.CreateAvailable(user.Api, size: 20);
        var volumeId = volume.Str("id");

        var created = (await user.Api.Post($"/volumes/{volumeId}/snapshots", new { name = "before upgrade", tags = new[] { "db", "db" } })).Expect(202);
        var snapshot = created["snapshot"];
        var id = snapshot.Str("id");
        Formats.AssertId(snapshot.GetProperty("id"));
        Formats.AssertTime(snapshot.GetProperty("created_at"));
        Assert.Equal($"/api/v1/snapshots/{id}", new Uri(created.Header("Location")!).AbsolutePath);
        Assert.Equal(("before upgrade", "volume", volumeId, 20, "creating"),
            (snapshot.Str("name"), snapshot.Str("resource_type"), snapshot.Str("resource_id"), snapshot.GetProperty("min_disk_size").GetInt32(), snapshot.Status()));
        Assert.Equal(["fra1"], snapshot.GetProperty("regions").Strings());
        Assert.Equal(["db"], snapshot.GetProperty("tags").Strings());

        var action = await Vms.WaitForAction(user.Api, created["links"].GetProperty("actions")[0].Str("id"));
        Assert.Equal(("completed", "snapshot", "volume", volumeId), (action.Status(), action.Str("type"), action.Str("resource_type"), action.Str("resource_id")));
        var made = await SnapshotKit.Get(user.Api, id);
        Assert.Equal("available", made.Status());
        // The simulated driver's file takes 40 MiB per GiB: 800 MiB, shown in GiB rounded up to hundredths.
        Assert.Equal(0.79, made.GetProperty("size_gigabytes").GetDouble());
        Assert.True(SnapshotKit.VolumeSnapshotStored(Server, id));

        Assert.Equal([id], (await user.Api.Get($"/volumes/{volumeId}/snapshots")).Expect(200)["snapshots"].Ids());
        Assert.Contains(action.Str("id"), (await user.Api.Get($"/volumes/{volumeId}/actions")).Expect(200)["actions"].Ids());
        // The volume is unlocked again: its next action is accepted.
        await VolumeKit.RunCompleted(user.Api, volumeId, new { type = "resize", size_gigabytes = 21 });
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_the_field_named()
    {
        var user = await TestAccounts.Create(Server);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        async Task Refused(object body, string field) =>
            Assert.Equal([field], (await user.Api.Post($"/volumes/{volumeId}/snapshots", body)).ExpectError(422, "unprocessable_entity").ErrorFields());

        await Refused(new { tags = new[] { "a" } }, "name");
        await Refused(new { name = "" }, "name");
        await Refused(new { name = 7 }, "name");
        await Refused(new { name = "ok", tags = new[] { "no spaces" } }, "tags");
        await Refused(new { name = "ok", size_gigabytes = 3 }, "size_gigabytes");
        await Refused(new { name = "ok", colour = "red" }, "colour");
        Assert.Empty((await user.Api.Get($"/volumes/{volumeId}/snapshots")).Expect(200)["snapshots"].EnumerateArray());
        (await user.Api.Post("/volumes/0123456789abcdef0123456789abcdef/snapshots", new { name = "ok" })).ExpectError(404, "not_found");
        (await user.Api.Get("/volumes/0123456789abcdef0123456789abcdef/snapshots")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Volume_snapshots_count_against_the_volume_limit()
    {
        var username = TestAccounts.UniqueName();
        (await Server.Admin.Post("/users", new { username, password = "pw-snapshot-limit", email = username + "@example.test", volume_limit = 2 })).Expect(201);
        var api = ApiClient.Basic(Server, username, "pw-snapshot-limit");
        var volumeId = (await VolumeKit.CreateAvailable(api)).Str("id");
        await SnapshotKit.CreateAvailable(api, volumeId, "one");
        await SnapshotKit.CreateAvailable(api, volumeId, "two");
        var refused = (await api.Post($"/volumes/{volumeId}/snapshots", new { name = "three" })).ExpectError(422, "unprocessable_entity");
        Assert.Equal(["name"], refused.ErrorFields());
        Assert.Contains("volume_limit", refused.Text);
    }
}
