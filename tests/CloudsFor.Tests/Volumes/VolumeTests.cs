using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Volumes;

/// <summary>/volumes: create, list, get and delete, and what a volume may not be.</summary>
public sealed class VolumeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_volume_is_created_through_an_action_and_shown_by_get_and_list()
    {
        var user = await TestAccounts.Create(Server);
        var name = VolumeKit.UniqueName();
        var created = (await user.Api.Post("/volumes", new
        {
            name, size_gigabytes = 20, region = "fra1", description = "data", filesystem_type = "ext4", filesystem_label = "data", tags = new[] { "db", "db" },
        })).Expect(201);
        var volume = created["volume"];
        var id = volume.Str("id");
        Formats.AssertId(volume.GetProperty("id"));
        Formats.AssertTime(volume.GetProperty("created_at"));
        Assert.Equal((name, 20, "fra1", "ext4", "data", "creating"),
            (volume.Str("name"), volume.GetProperty("size_gigabytes").GetInt32(), volume.GetProperty("region").Str("slug"),
             volume.Str("filesystem_type"), volume.Str("filesystem_label"), volume.Str("status")));
        Assert.Equal(["db"], volume.GetProperty("tags").Strings());
        Assert.Empty(volume.GetProperty("vm_ids").EnumerateArray());
        Assert.Equal($"/api/v1/volumes/{id}", new Uri(created.Header("Location")!).AbsolutePath);

        var action = await Vms.WaitForAction(user.Api, created["links"].GetProperty("actions")[0].Str("id"));
        Assert.Equal(("completed", "create", "volume", id), (action.Status(), action.Str("type"), action.Str("resource_type"), action.Str("resource_id")));
        Assert.Equal("available", (await VolumeKit.Get(user.Api, id)).Str("status"));

        var other = await VolumeKit.CreateAvailable(user.Api, region: "nyc1");
        Assert.Equal([id, other.Str("id")], (await user.Api.Get("/volumes")).Expect(200)["volumes"].Ids());
        Assert.Equal([id], (await user.Api.Get("/volumes?region=fra1")).Expect(200)["volumes"].Ids());
        Assert.Equal([other.Str("id")], (await user.Api.Get($"/volumes?name={other.Str("name")}")).Expect(200)["volumes"].Ids());
        var page = (await user.Api.Get("/volumes?per_page=1&page=2")).Expect(200);
        Assert.Equal([other.Str("id")], page["volumes"].Ids());
        Assert.Equal(2, page["meta"].GetProperty("total").GetInt32());
        var actions = (await user.Api.Get($"/volumes/{id}/actions")).Expect(200)["actions"];
        Assert.Equal([action.Str("id")], actions.Ids());
    }

    [Fact]
    public async Task Bad_fields_are_refused_with_the_field_named()
    {
        var user = await TestAccounts.Create(Server);
        async Task Refused(object body, string field) =>
            Assert.Equal([field], (await user.Api.Post("/volumes", body)).ExpectError(422, "unprocessable_entity").ErrorFields());

        await Refused(new { size_gigabytes = 1, region = "fra1" }, "name");
        await Refused(new { name = "Bad_Name", size_gigabytes = 1, region = "fra1" }, "name");
        await Refused(new { name = "ok", size_gigabytes = 0, region = "fra1" }, "size_gigabytes");
        await Refused(new { name = "ok", size_gigabytes = 16385, region = "fra1" }, "size_gigabytes");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "mars1" }, "region");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "fra1", filesystem_type = "ntfs" }, "filesystem_type");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "fra1", filesystem_label = "x" }, "filesystem_label");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "fra1", filesystem_type = "xfs", filesystem_label = "far-too-long-label" }, "filesystem_label");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "fra1", tags = new[] { "no spaces" } }, "tags");
        await Refused(new { name = "ok", size_gigabytes = 1, region = "fra1", snapshot_id = "x" }, "snapshot_id");
        Assert.Empty((await user.Api.Get("/volumes")).Expect(200)["volumes"].EnumerateArray());
    }

    [Fact]
    public async Task A_name_is_taken_once_per_region()
    {
        var user = await TestAccounts.Create(Server);
        var name = VolumeKit.UniqueName();
        await VolumeKit.Create(user.Api, name);
        (await user.Api.Post("/volumes", new { name, size_gigabytes = 1, region = "fra1" })).ExpectError(409, "conflict");
        await VolumeKit.Create(user.Api, name, region: "nyc1");
    }

    [Fact]
    public async Task A_deleted_volume_is_gone_at_once_and_its_name_is_free_again()
    {
        var user = await TestAccounts.Create(Server);
        var volume = await VolumeKit.CreateAvailable(user.Api);
        var id = volume.Str("id");
        (await user.Api.Delete($"/volumes/{id}")).Expect(204);
        (await user.Api.Get($"/volumes/{id}")).ExpectError(404, "not_found");
        (await user.Api.Delete($"/volumes/{id}")).ExpectError(404, "not_found");
        Assert.Empty((await user.Api.Get("/volumes")).Expect(200)["volumes"].EnumerateArray());
        await VolumeKit.Create(user.Api, volume.Str("name"));
    }

    [Fact]
    public async Task The_account_shows_and_enforces_its_volume_limits()
    {
        var username = TestAccounts.UniqueName();
        var created = (await Server.Admin.Post("/users", new
        {
            username, password = "pw-volumes-1", email = username + "@example.test", volume_limit = 2, volume_gigabytes_limit = 30,
        })).Expect(201)["user"];
        Assert.Equal((2, 30), (created.GetProperty("volume_limit").GetInt32(), created.GetProperty("volume_gigabytes_limit").GetInt32()));
        var api = ApiClient.Basic(Server, username, "pw-volumes-1");

        var first = await VolumeKit.CreateAvailable(api, size: 10);
        var tooBig = (await api.Post("/volumes", new { name = "big", size_gigabytes = 21, region = "fra1" })).ExpectError(422, "unprocessable_entity");
        Assert.Equal(["size_gigabytes"], tooBig.ErrorFields());
        Assert.Contains("volume_gigabytes_limit of 30", tooBig.Text);
        await VolumeKit.Create(api, size: 20);
        var third = (await api.Post("/volumes", new { name = "third", size_gigabytes = 1, region = "fra1" })).ExpectError(422, "unprocessable_entity");
        Assert.Contains("volume_limit of 2", third.Text);

        var account = (await api.Get("/account")).Expect(200)["account"];
        Assert.Equal((2, 30, 2, 30),
            (account.GetProperty("volume_limit").GetInt32(), account.GetProperty("volume_gigabytes_limit").GetInt32(),
             account.GetProperty("usage").GetProperty("volumes").GetInt32(), account.GetProperty("usage").GetProperty("volume_gigabytes").GetInt32()));

        var grow = (await api.Post($"/volumes/{first.Str("id")}/actions", new { type = "resize", size_gigabytes = 11 })).ExpectError(422, "unprocessable_entity");
        Assert.Contains("volume_gigabytes_limit of 30", grow.Text);
    }

    [Fact]
    public async Task Another_account_sees_no_volume_and_can_change_none()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var volume = await VolumeKit.CreateAvailable(alice.Api);
        var id = volume.Str("id");
        var bobsVm = await Vms.CreateActive(bob.Api);

        (await bob.Api.Get($"/volumes/{id}")).ExpectError(404, "not_found");
        (await bob.Api.Get($"/volumes/{id}/actions")).ExpectError(404, "not_found");
        (await bob.Api.Delete($"/volumes/{id}")).ExpectError(404, "not_found");
        (await bob.Api.Post($"/volumes/{id}/actions", new { type = "attach", vm_id = bobsVm.Str("id") })).ExpectError(404, "not_found");
        (await bob.Api.Post("/volumes/actions", new { type = "resize", size_gigabytes = 50, volume_name = volume.Str("name"), region = "fra1" }))
            .ExpectError(404, "not_found");
        Assert.Empty((await bob.Api.Get("/volumes")).Expect(200)["volumes"].EnumerateArray());
    }
}
