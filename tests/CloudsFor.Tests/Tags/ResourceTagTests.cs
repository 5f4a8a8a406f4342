using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Tags;

/// <summary>Volumes, images and domains carry tags like VMs: shown on the resource, counted by /tags, filtered by tag_name.</summary>
public sealed class ResourceTagTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static object Resources(params (string Type, string Id)[] items) =>
        new { resources = items.Select(i => new { resource_id = i.Id, resource_type = i.Type }).ToArray() };

    static async Task<long> Count(ApiClient api, string tag, string type) =>
        (await api.Get($"/tags/{tag}")).Expect(200)["tag"].GetProperty("resources").GetProperty(type).GetProperty("count").GetInt64();

    static IReadOnlyList<string> TagsOf(JsonElement resource) => resource.GetProperty("tags").Strings();

    [Fact]
    public async Task A_volume_created_with_tags_makes_them_is_counted_and_listed_by_tag_name()
    {
        var user = await TestAccounts.Create(Server);
        var (volume, action) = await VolumeKit.Create(user.Api, tags: ["disk", "backup"]);
        var untagged = await VolumeKit.CreateAvailable(user.Api);
        await Vms.WaitForAction(user.Api, action);
        var id = volume.Str("id");

        Assert.Equal(["backup", "disk"], TagsOf(await VolumeKit.Get(user.Api, id)));
        Assert.Equal(["backup", "disk"], (await user.Api.Get("/tags")).Expect(200)["tags"].EnumerateArray().Select(t => t.Str("name")));
        Assert.Equal(1, await Count(user.Api, "backup", "volumes"));
        Assert.Equal([id], (await user.Api.Get("/volumes?tag_name=backup")).Expect(200)["volumes"].Ids());
        Assert.Equal(1, (await user.Api.Get("/volumes?tag_name=backup")).Expect(200)["meta"].GetProperty("total").GetInt64());
        Assert.Equal(2, (await user.Api.Get("/volumes")).Expect(200)["volumes"].Ids().Count);
        Assert.Empty((await user.Api.Get("/volumes?tag_name=none")).Expect(200)["volumes"].Ids());
        (await user.Api.Get("/volumes?tag_name=bad.name")).ExpectError(400, "bad_request");

        // Tagged and untagged through /tags like any resource; the volume's ETag moves with its tags.
        var etag = (await user.Api.Get($"/volumes/{untagged.Str("id")}")).Header("ETag");
        (await user.Api.Post("/tags/backup/resources", Resources(("volume", untagged.Str("id"))))).Expect(204);
        var now = await user.Api.Get($"/volumes/{untagged.Str("id")}");
        Assert.Equal(["backup"], TagsOf(now.Expect(200)["volume"]));
        Assert.NotEqual(etag, now.Header("ETag"));
        Assert.Equal(2, await Count(user.Api, "backup", "volumes"));
        (await user.Api.Send(HttpMethod.Delete, "/tags/backup/resources", Resources(("volume", id)))).Expect(204);
        Assert.Equal(["disk"], TagsOf(await VolumeKit.Get(user.Api, id)));
        Assert.Equal([untagged.Str("id")], (await user.Api.Get("/volumes?tag_name=backup")).Expect(200)["volumes"].Ids());

        // A deleted volume is gone for its owner at once, and from the counts with it.
        (await user.Api.Delete($"/volumes/{id}")).Expect(204);
        Assert.Equal(0, await Count(user.Api, "disk", "volumes"));
        (await user.Api.Delete("/tags/backup")).Expect(204);
        Assert.Empty(TagsOf(await VolumeKit.Get(user.Api, untagged.Str("id"))));
    }

    [Fact]
    public async Task Another_accounts_volume_is_not_tagged_and_its_tag_filter_shows_nothing()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var (bobs, _) = await VolumeKit.Create(bob.Api, tags: ["shared"]);
        (await alice.Api.Post("/tags", new { name = "shared" })).Expect(201);

        var r = await alice.Api.Post("/tags/shared/resources", Resources(("volume", bobs.Str("id")), ("volume", Formats.RandomId())));
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal($"item 1: '{bobs.Str("id")}' is not one of your volumes", r["errors"][0].Str("message"));
        Assert.Equal(0, await Count(alice.Api, "shared", "volumes"));
        Assert.Empty((await alice.Api.Get("/volumes?tag_name=shared")).Expect(200)["volumes"].Ids());
        Assert.Equal(["shared"], TagsOf(await VolumeKit.Get(bob.Api, bobs.Str("id"))));
    }

    [Fact]
    public async Task Images_and_domains_show_their_tags_and_a_vm_shows_its_images()
    {
        var user = await TestAccounts.Create(Server);
        var vmId = (await Vms.CreateActive(user.Api)).Str("id");
        var snapshotId = (await Vms.RunCompleted(user.Api, vmId, new { type = "snapshot", name = "golden" })).GetProperty("snapshot_ids")[0].GetString()!;
        var child = (await Vms.CreateActive(user.Api, image: snapshotId)).Str("id");
        var domain = await Domains.Create(user.Api);
        Assert.Empty(TagsOf((await user.Api.Get($"/images/{snapshotId}")).Expect(200)["image"]));
        Assert.Empty(TagsOf((await user.Api.Get($"/domains/{domain}")).Expect(200)["domain"]));
        Assert.Empty(TagsOf((await user.Api.Get("/images/tiny")).Expect(200)["image"]));
        var childETag = (await user.Api.Get($"/vms/{child}")).Header("ETag");

        (await user.Api.Post("/tags", new { name = "golden" })).Expect(201);
        (await user.Api.Post("/tags/golden/resources", Resources(("image", snapshotId), ("domain", domain)))).Expect(204);

        Assert.Equal(["golden"], TagsOf((await user.Api.Get($"/images/{snapshotId}")).Expect(200)["image"]));
        Assert.Equal(["golden"], TagsOf((await user.Api.Get("/images?tag_name=golden")).Expect(200)["images"][0]));
        Assert.Equal(["golden"], TagsOf((await user.Api.Get($"/domains/{domain}")).Expect(200)["domain"]));
        Assert.Equal(["golden"], TagsOf((await user.Api.Get("/domains?tag_name=golden")).Expect(200)["domains"][0]));
        var vm = await user.Api.Get($"/vms/{child}");
        Assert.Equal(["golden"], TagsOf(vm.Expect(200)["vm"].GetProperty("image")));
        Assert.NotEqual(childETag, vm.Header("ETag"));
    }

    [Fact]
    public async Task A_custom_image_is_created_with_tags()
    {
        var user = await TestAccounts.Create(Server);
        var created = (await user.Api.Post("/images", new { name = "mine", tags = new[] { "os:linux", "base" } })).Expect(202)["image"];
        Assert.Equal(["base", "os:linux"], TagsOf(created));
        Assert.Equal(["base", "os:linux"], TagsOf((await user.Api.Get($"/images/{created.Str("id")}")).Expect(200)["image"]));
        Assert.Equal([created.Str("id")], (await user.Api.Get("/images?tag_name=os:linux")).Expect(200)["images"].Ids());
        Assert.Equal(1, await Count(user.Api, "base", "images"));

        var r = await user.Api.Post("/images", new { name = "bad", tags = new[] { "has space" } });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["tags"], r.ErrorFields());
    }
}
