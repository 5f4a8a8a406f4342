using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>PUT /vms/{id} sets name and tags (idempotently); DELETE removes one VM, or every VM with a tag.</summary>
public sealed class VmUpdateDeleteTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Put_sets_name_and_tags_and_the_same_put_twice_leaves_the_same_state()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, name: "before", tags: ["old"])).Str("id");
        var body = new { name = "after", tags = new[] { "new", "second" } };
        var first = (await user.Api.Put($"/vms/{id}", body)).Expect(200);
        Assert.Equal("after", first["vm"].Str("name"));
        Assert.Equal(["new", "second"], first["vm"].GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        var etag = (await user.Api.Get($"/vms/{id}")).Header("ETag");
        var second = (await user.Api.Put($"/vms/{id}", body)).Expect(200);
        Assert.Equal(first["vm"].GetRawText(), second["vm"].GetRawText());
        Assert.Equal(etag, (await user.Api.Get($"/vms/{id}")).Header("ETag"));
        Assert.Empty(await Ids(user, "/vms?tag_name=old"));
        Assert.Equal([id], await Ids(user, "/vms?tag_name=second"));
    }

    [Fact]
    public async Task Put_with_only_tags_keeps_the_name_and_empty_tags_clear_them()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, name: "keep-me", tags: ["a"])).Str("id");
        var r = (await user.Api.Put($"/vms/{id}", new { tags = Array.Empty<string>() })).Expect(200);
        Assert.Equal("keep-me", r["vm"].Str("name"));
        Assert.Empty(r["vm"].GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public async Task Put_with_an_invalid_name_is_422_and_changes_nothing()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, name: "stays")).Str("id");
        var r = await user.Api.Put($"/vms/{id}", new { name = "no spaces allowed", tags = new[] { "t" } });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("name", r.ErrorFields());
        var vm = await Vms.Get(user.Api, id);
        Assert.Equal("stays", vm.Str("name"));
        Assert.Empty(vm.GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public async Task Put_cannot_change_size_status_or_region()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var r = await user.Api.Put($"/vms/{id}", new { size = "s-4vcpu-8gb", status = "off", region = "nyc1" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["region", "size", "status"], r.ErrorFields().Order());
    }

    [Fact]
    public async Task Delete_answers_204_and_the_vm_is_gone_with_a_destroy_action_recorded()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var r = (await user.Api.Delete($"/vms/{id}")).Expect(204);
        Assert.Equal("", r.Text);
        (await user.Api.Get($"/vms/{id}")).ExpectError(404, "not_found");
        Assert.Empty(await Ids(user, "/vms"));
        (await user.Api.Delete($"/vms/{id}")).ExpectError(404, "not_found");
        (await user.Api.Put($"/vms/{id}", new { name = "ghost" })).ExpectError(404, "not_found");
        (await user.Api.Post($"/vms/{id}/actions", new { type = "power_off" })).ExpectError(404, "not_found");

        var destroy = await Poll.Until(
            async () => (await user.Api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray()
                .FirstOrDefault(a => a.Str("type") == "destroy" && a.Str("resource_id") == id),
            a => a.ValueKind != System.Text.Json.JsonValueKind.Undefined && a.Status() != "in-progress",
            "the destroy action finishing");
        Assert.Equal("completed", destroy.Status());
    }

    [Fact]
    public async Task A_vm_can_be_deleted_while_it_is_still_being_created()
    {
        var user = await TestAccounts.Create(Server);
        var created = await Vms.Create(user.Api);
        (await user.Api.Delete($"/vms/{created.Id}")).Expect(204);
        (await user.Api.Get($"/vms/{created.Id}")).ExpectError(404, "not_found");
        var create = await Vms.WaitForAction(user.Api, created.CreateActionId);
        Assert.NotEqual("in-progress", create.Status());
        Assert.Empty(await Ids(user, "/vms"));
    }

    [Fact]
    public async Task Delete_by_tag_removes_exactly_the_tagged_vms()
    {
        var user = await TestAccounts.Create(Server);
        await Vms.CreateActive(user.Api, tags: ["doomed"]);
        await Vms.CreateActive(user.Api, tags: ["doomed", "other"]);
        var survivor = await Vms.CreateActive(user.Api, tags: ["other"]);
        (await user.Api.Delete("/vms?tag_name=doomed")).Expect(204);
        Assert.Equal([survivor.Str("id")], await Ids(user, "/vms"));
        (await user.Api.Delete("/vms?tag_name=nothing-has-this")).Expect(204);
        Assert.Equal([survivor.Str("id")], await Ids(user, "/vms"));
    }

    [Fact]
    public async Task Delete_of_the_collection_without_a_tag_is_400_and_deletes_nothing()
    {
        var user = await TestAccounts.Create(Server);
        await Vms.CreateActive(user.Api);
        (await user.Api.Delete("/vms")).ExpectError(400, "bad_request");
        (await user.Api.Delete("/vms?tag_name=")).ExpectError(400, "bad_request");
        Assert.Single(await Ids(user, "/vms"));
    }

    static async Task<List<string>> Ids(TestUser user, string path) =>
        (await user.Api.Get(path)).Expect(200)["vms"].Ids().ToList();
}
