using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>POST /vms/actions?tag_name=: one action for every VM carrying the tag, and none for the others.</summary>
public sealed class TagActionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Power_off_by_tag_acts_on_the_tagged_vms_only()
    {
        var user = await TestAccounts.Create(Server);
        var a = (await Vms.CreateActive(user.Api, tags: ["fleet"])).Str("id");
        var b = (await Vms.CreateActive(user.Api, tags: ["fleet", "x"])).Str("id");
        var untouched = (await Vms.CreateActive(user.Api, tags: ["x"])).Str("id");

        var r = (await user.Api.Post("/vms/actions?tag_name=fleet", new { type = "power_off" })).Expect(201);
        var actions = r["actions"];
        Assert.Equal(new[] { a, b }.Order(), actions.EnumerateArray().Select(x => x.Str("resource_id")).Order());
        Assert.All(actions.EnumerateArray(), x => Assert.Equal("power_off", x.Str("type")));
        foreach (var actionId in actions.Ids())
            Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());

        Assert.Equal("off", (await Vms.Get(user.Api, a)).Status());
        Assert.Equal("off", (await Vms.Get(user.Api, b)).Status());
        Assert.Equal("active", (await Vms.Get(user.Api, untouched)).Status());
    }

    [Fact]
    public async Task Snapshot_by_tag_makes_a_snapshot_of_each()
    {
        var user = await TestAccounts.Create(Server);
        var a = (await Vms.CreateActive(user.Api, tags: ["backup"])).Str("id");
        var b = (await Vms.CreateActive(user.Api, tags: ["backup"])).Str("id");
        var r = (await user.Api.Post("/vms/actions?tag_name=backup", new { type = "snapshot" })).Expect(201);
        foreach (var actionId in r["actions"].Ids())
            Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
        Assert.Equal(1, (await user.Api.Get($"/vms/{a}/snapshots")).Expect(200)["snapshots"].GetArrayLength());
        Assert.Equal(1, (await user.Api.Get($"/vms/{b}/snapshots")).Expect(200)["snapshots"].GetArrayLength());
    }

    [Theory]
    [InlineData("power_on")]
    [InlineData("shutdown")]
    [InlineData("reboot")]
    [InlineData("power_cycle")]
    public async Task Each_tag_action_type_is_accepted(string type)
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, tags: ["t"])).Str("id");
        if (type == "power_on")
            await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        var r = (await user.Api.Post("/vms/actions?tag_name=t", new { type })).Expect(201);
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, r["actions"].Ids()[0])).Status());
    }

    [Theory]
    [InlineData("rename")]
    [InlineData("resize")]
    [InlineData("rebuild")]
    [InlineData("explode")]
    public async Task Types_that_need_per_vm_parameters_are_422_by_tag(string type)
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, tags: ["t"])).Str("id");
        var r = await user.Api.Post("/vms/actions?tag_name=t", new { type });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("type", r.ErrorFields());
        Assert.Single((await user.Api.Get($"/vms/{id}/actions")).Expect(200)["actions"].EnumerateArray());
    }

    [Fact]
    public async Task A_tag_with_no_vms_starts_no_actions()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Post("/vms/actions?tag_name=empty", new { type = "reboot" })).Expect(201);
        Assert.Empty(r["actions"].EnumerateArray());
    }

    [Fact]
    public async Task Without_a_tag_name_it_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        await Vms.CreateActive(user.Api);
        (await user.Api.Post("/vms/actions", new { type = "power_off" })).ExpectError(400, "bad_request");
        Assert.Equal("active", (await user.Api.Get("/vms")).Expect(200)["vms"][0].Status());
    }
}
