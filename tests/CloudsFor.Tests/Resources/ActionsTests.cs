using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>GET /actions and /actions/{id}: every action of the caller's VMs, with its status, times and resource.</summary>
public sealed class ActionsTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task The_list_holds_the_callers_actions_in_order_and_pages()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        await Vms.RunCompleted(user.Api, id, new { type = "power_on" });

        var all = (await user.Api.Get("/actions")).Expect(200);
        Assert.Equal(3, all["meta"].GetProperty("total").GetInt32());
        Assert.Equal(["create", "power_off", "power_on"], all["actions"].EnumerateArray().Select(a => a.Str("type")));
        Assert.All(all["actions"].EnumerateArray(), a => Assert.Equal(id, a.Str("resource_id")));

        var page = (await user.Api.Get("/actions?per_page=2&page=2")).Expect(200);
        Assert.Equal(["power_on"], page["actions"].EnumerateArray().Select(a => a.Str("type")));
        Assert.Equal("3", page.Header("X-Total-Count"));
    }

    [Fact]
    public async Task One_action_reads_the_same_as_in_the_list_with_an_ETag()
    {
        var user = await TestAccounts.Create(Server);
        var created = await Vms.Create(user.Api);
        var done = await Vms.WaitForAction(user.Api, created.CreateActionId);
        var r = (await user.Api.Get($"/actions/{created.CreateActionId}")).Expect(200);
        Assert.NotNull(r.Header("ETag"));
        var action = r["action"];
        Assert.Equal(done.GetRawText(), action.GetRawText());
        Assert.Equal(action.GetRawText(), (await user.Api.Get("/actions")).Expect(200)["actions"][0].GetRawText());
        Assert.Equal("completed", action.Status());
        Assert.Equal("create", action.Str("type"));
        Assert.Equal("vm", action.Str("resource_type"));
        Assert.Equal(created.Id, action.Str("resource_id"));
        Formats.AssertTime(action.GetProperty("started_at"));
        Formats.AssertTime(action.GetProperty("completed_at"));
        Assert.False(action.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task An_unknown_action_is_404()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Get($"/actions/{Formats.RandomId()}")).ExpectError(404, "not_found");
    }
}
