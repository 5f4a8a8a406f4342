using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Tags;

/// <summary>/tags: made by POST or by tagging a VM with a new name, counted per type of resource, deleted with every tagging.</summary>
public sealed class TagTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static object Resources(params (string Type, string Id)[] items) =>
        new { resources = items.Select(i => new { resource_id = i.Id, resource_type = i.Type }).ToArray() };

    /// <summary>count of the whole tag, then of vms, images, volumes, domains.</summary>
    static (long, long, long, long, long) Counts(JsonElement tag)
    {
        var r = tag.GetProperty("resources");
        long Of(string type) => r.GetProperty(type).GetProperty("count").GetInt64();
        return (r.GetProperty("count").GetInt64(), Of("vms"), Of("images"), Of("volumes"), Of("domains"));
    }

    static string? LastTagged(JsonElement e) => e.GetProperty("last_tagged_uri").GetString();

    static async Task<JsonElement> Tag(ApiClient api, string name) => (await api.Get($"/tags/{name}")).Expect(200)["tag"];

    static List<string> Names(ApiResponse r, string root, string key = "id") =>
        r.Expect(200)[root].EnumerateArray().Select(e => e.Str(key)).ToList();

    [Fact]
    public async Task A_tag_is_created_got_listed_and_deleted()
    {
        var user = await TestAccounts.Create(Server);
        var created = (await user.Api.Post("/tags", new { name = "env:prod_1-a" })).Expect(201);
        Assert.Equal("/api/v1/tags/env:prod_1-a", new Uri(created.Header("Location")!).AbsolutePath);
        var tag = created["tag"];
        Assert.Equal("env:prod_1-a", tag.Str("name"));
        Assert.Equal((0, 0, 0, 0, 0), Counts(tag));
        Assert.Null(LastTagged(tag.GetProperty("resources")));
        Assert.Null(LastTagged(tag.GetProperty("resources").GetProperty("vms")));

        Assert.Equal(tag.GetRawText(), (await Tag(user.Api, "env:prod_1-a")).GetRawText());
        var list = (await user.Api.Get("/tags")).Expect(200);
        Assert.Equal(["env:prod_1-a"], Names(list, "tags", "name"));
        Assert.Equal(1, list["meta"].GetProperty("total").GetInt64());

        (await user.Api.Post("/tags", new { name = "env:prod_1-a" })).ExpectError(409, "conflict");
        (await user.Api.Delete("/tags/env:prod_1-a")).Expect(204);
        (await user.Api.Get("/tags/env:prod_1-a")).ExpectError(404, "not_found");
        (await user.Api.Delete("/tags/env:prod_1-a")).ExpectError(404, "not_found");
        Assert.Empty(Names(await user.Api.Get("/tags"), "tags", "name"));
    }

    [Fact]
    public async Task A_vm_created_or_updated_with_new_tags_makes_them_and_is_counted()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.Create(user.Api, tags: ["blue", "green"]);
        Assert.Equal(["blue", "green"], Names(await user.Api.Get("/tags"), "tags", "name"));
        var blue = await Tag(user.Api, "blue");
        Assert.Equal((1, 1, 0, 0, 0), Counts(blue));
        Assert.Equal($"/api/v1/vms/{vm.Id}", LastTagged(blue.GetProperty("resources")));
        Assert.Equal($"/api/v1/vms/{vm.Id}", LastTagged(blue.GetProperty("resources").GetProperty("vms")));

        (await user.Api.Put($"/vms/{vm.Id}", new { tags = new[] { "green", "red" } })).Expect(200);
        Assert.Equal(["blue", "green", "red"], Names(await user.Api.Get("/tags"), "tags", "name"));
        Assert.Equal((0, 0, 0, 0, 0), Counts(await Tag(user.Api, "blue")));
        Assert.Equal((1, 1, 0, 0, 0), Counts(await Tag(user.Api, "red")));
    }

    [Fact]
    public async Task Vms_own_images_and_domains_are_tagged_counted_listed_by_tag_name_and_untagged()
    {
        var user = await TestAccounts.Create(Server);
        var vmId = (await Vms.CreateActive(user.Api)).Str("id");
        await Vms.RunCompleted(user.Api, vmId, new { type = "snapshot", name = "snap" });
        var imageId = (await user.Api.Get($"/vms/{vmId}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        var domain = await Domains.Create(user.Api);
        var other = await Domains.Create(user.Api);
        (await user.Api.Post("/tags", new { name = "team" })).Expect(201);
        (await user.Api.Post("/tags", new { name = "other" })).Expect(201);
        (await user.Api.Post("/tags/other/resources", Resources(("domain", other)))).Expect(204);
        var etag = (await user.Api.Get($"/vms/{vmId}")).Header("ETag");

        (await user.Api.Post("/tags/team/resources", Resources(("vm", vmId), ("image", imageId), ("domain", domain.ToUpperInvariant())))).Expect(204);

        var tag = await Tag(user.Api, "team");
        Assert.Equal((3, 1, 1, 0, 1), Counts(tag));
        Assert.Equal($"/api/v1/domains/{domain}", LastTagged(tag.GetProperty("resources").GetProperty("domains")));
        var vm = await user.Api.Get($"/vms/{vmId}");
        Assert.Equal(["team"], vm.Expect(200)["vm"].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.NotEqual(etag, vm.Header("ETag"));
        Assert.Equal([vmId], Names(await user.Api.Get("/vms?tag_name=team"), "vms"));
        Assert.Equal([imageId], Names(await user.Api.Get("/images?tag_name=team"), "images"));
        Assert.Equal([domain], Names(await user.Api.Get("/domains?tag_name=team"), "domains", "name"));
        Assert.Equal(1, (await user.Api.Get("/domains?tag_name=team")).Expect(200)["meta"].GetProperty("total").GetInt64());

        // Tagging twice changes nothing; untagging takes only what is named.
        (await user.Api.Post("/tags/team/resources", Resources(("vm", vmId)))).Expect(204);
        (await user.Api.Send(HttpMethod.Delete, "/tags/team/resources", Resources(("image", imageId), ("vm", vmId)))).Expect(204);
        Assert.Equal((1, 0, 0, 0, 1), Counts(await Tag(user.Api, "team")));
        Assert.Empty(Names(await user.Api.Get("/images?tag_name=team"), "images"));
        Assert.Empty((await Vms.Get(user.Api, vmId)).GetProperty("tags").EnumerateArray());
        Assert.Equal([domain], Names(await user.Api.Get("/domains?tag_name=team"), "domains", "name"));
    }

    [Fact]
    public async Task Deleting_a_tag_takes_it_off_everything_and_a_new_one_of_that_name_starts_empty()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.Create(user.Api, tags: ["doomed", "kept"]);
        var domain = await Domains.Create(user.Api);
        (await user.Api.Post("/tags/doomed/resources", Resources(("domain", domain)))).Expect(204);

        (await user.Api.Delete("/tags/doomed")).Expect(204);
        Assert.Equal(["kept"], (await Vms.Get(user.Api, vm.Id)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(Names(await user.Api.Get("/domains?tag_name=doomed"), "domains", "name"));
        Assert.Empty(Names(await user.Api.Get("/vms?tag_name=doomed"), "vms"));
        Assert.Equal(["kept"], Names(await user.Api.Get("/tags"), "tags", "name"));
        Assert.Equal((0, 0, 0, 0, 0), Counts((await user.Api.Post("/tags", new { name = "doomed" })).Expect(201)["tag"]));
    }

    [Fact]
    public async Task A_resource_of_another_account_or_none_is_a_422_naming_the_item_and_nothing_is_tagged()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var alicesVm = (await Vms.Create(alice.Api)).Id;
        var bobsVm = (await Vms.Create(bob.Api)).Id;
        var bobsDomain = await Domains.Create(bob.Api);
        var (bobsVolume, _) = await VolumeKit.Create(bob.Api);
        (await alice.Api.Post("/tags", new { name = "mine" })).Expect(201);

        var r = await alice.Api.Post("/tags/mine/resources", Resources(("vm", alicesVm), ("vm", bobsVm), ("domain", bobsDomain),
            ("vm", Formats.RandomId()), ("image", "tiny"), ("volume", bobsVolume.Str("id"))));
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["resources", "resources", "resources", "resources", "resources"], r.ErrorFields());
        var messages = r["errors"].EnumerateArray().Select(e => e.Str("message")).ToList();
        Assert.Equal($"item 2: '{bobsVm}' is not one of your vms", messages[0]);
        Assert.StartsWith("item 5: 'tiny' is not one of your images", messages[3]);
        Assert.Equal($"item 6: '{bobsVolume.Str("id")}' is not one of your volumes", messages[4]);
        Assert.Equal((0, 0, 0, 0, 0), Counts(await Tag(alice.Api, "mine")));

        // Bob's tags are not Alice's, even by the same name.
        (await bob.Api.Get("/tags/mine")).ExpectError(404, "not_found");
        (await bob.Api.Post("/tags/mine/resources", Resources(("vm", bobsVm)))).ExpectError(404, "not_found");
        (await bob.Api.Delete("/tags/mine")).ExpectError(404, "not_found");
        Assert.Empty(Names(await bob.Api.Get("/tags"), "tags", "name"));
    }

    public static readonly TheoryData<string, string> BadBodies = new()
    {
        { "{}", "name" },
        { "{\"name\":\"\"}", "name" },
        { "{\"name\":\"has.dot\"}", "name" },
        { "{\"name\":\"has space\"}", "name" },
        { "{\"name\":\"" + new string('a', 256) + "\"}", "name" },
        { "{\"name\":7}", "name" },
        { "{\"name\":\"ok\",\"resources\":[]}", "resources" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_tag_is_a_422_on_its_field(string body, string field)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tags", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal([field], r.ErrorFields());
    }

    public static readonly TheoryData<string> BadResources = new()
    {
        "{}",
        "{\"resources\":[]}",
        "{\"resources\":\"vm\"}",
        "{\"resources\":[\"abc\"]}",
        "{\"resources\":[{\"resource_id\":\"abc\"}]}",
        "{\"resources\":[{\"resource_id\":\"abc\",\"resource_type\":\"droplet\"}]}",
        "{\"resources\":[{\"resource_type\":\"vm\"}]}",
        "{\"resources\":[{\"resource_id\":\"abc\",\"resource_type\":\"vm\",\"extra\":1}]}",
    };

    [Theory]
    [MemberData(nameof(BadResources))]
    public async Task A_bad_list_of_resources_is_a_422_on_resources(string body)
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/tags", new { name = "t" })).Expect(201);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Delete })
        {
            var r = await user.Api.Send(method, "/tags/t/resources", body);
            r.ExpectError(422, "unprocessable_entity");
            Assert.Equal(["resources"], r.ErrorFields());
        }
    }

    [Fact]
    public async Task One_rule_for_tag_names_everywhere()
    {
        var user = await TestAccounts.Create(Server);
        var longest = new string('x', 255);
        (await user.Api.Post("/tags", new { name = longest })).Expect(201);
        Assert.Equal(longest, (await Tag(user.Api, longest)).Str("name"));
        var vm = await user.Api.Post("/vms", new { name = "dots", size = Vms.SmallSize, image = Vms.TinyImage, tags = new[] { "a.b" } });
        vm.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["tags"], vm.ErrorFields());
        foreach (var path in new[] { "/vms", "/images", "/domains" })
            (await user.Api.Get($"{path}?tag_name=a.b")).ExpectError(400, "bad_request");
        (await user.Api.Get($"/vms?tag_name={longest}x")).ExpectError(400, "bad_request");
        (await user.Api.Delete("/vms?tag_name=a.b")).ExpectError(400, "bad_request");
        (await user.Api.Post("/vms/actions?tag_name=a.b", new { type = "reboot" })).ExpectError(400, "bad_request");
        (await user.Api.Get("/tags/a.b")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Tagging_sends_tag_and_resource_events()
    {
        var user = await TestAccounts.Create(Server);
        var domain = await Domains.Create(user.Api);
        using var stream = await EventStream.Open(user.Api, "?resource_type=vm,tag,domain");
        var vm = await Vms.Create(user.Api, tags: ["made"]);
        (await user.Api.Post("/tags", new { name = "posted" })).Expect(201);
        (await user.Api.Post("/tags/posted/resources", Resources(("vm", vm.Id), ("domain", domain)))).Expect(204);
        (await user.Api.Delete("/tags/posted")).Expect(204);
        var events = await stream.Until(e => e.Event == "tag.deleted");

        Assert.Equal(
        [
            "vm.created vm", "tag.created made", "tag.created posted", "vm.updated vm", "domain.updated " + domain,
            "vm.updated vm", "domain.updated " + domain, "tag.deleted posted",
        ], events.Where(e => e.Event != "vm.status_changed")
            .Select(e => $"{e.Event} {(e.Json.Str("resource_type") == "vm" ? "vm" : e.Json.Str("resource_id"))}"));
        var made = events.First(e => e.Event == "tag.created").Json.GetProperty("resource");
        Assert.Equal((1, 1, 0, 0, 0), Counts(made));
        var tagged = events.First(e => e.Event == "vm.updated").Json.GetProperty("resource");
        Assert.Equal(["made", "posted"], tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
    }
}
