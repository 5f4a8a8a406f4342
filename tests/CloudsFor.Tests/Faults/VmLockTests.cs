using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Faults;

/// <summary>A server whose simulated operations take 1.5 s, long enough to act on a VM while it is locked.</summary>
public sealed class SlowServer() : ServerFixture("--sim-delay-ms", "1500");

/// <summary>While an action runs (or the VM is still new) the VM is locked: a second action is a 409 that starts nothing.</summary>
public sealed class VmLockTests(SlowServer slow) : IClassFixture<SlowServer>
{
    [Fact]
    public async Task A_new_vm_is_locked_until_created_and_a_running_action_locks_it_again()
    {
        var user = await TestAccounts.Create(slow.Server);
        var created = await Vms.Create(user.Api);
        Assert.True(created.Response["vm"].GetProperty("locked").GetBoolean());

        var whileNew = await user.Api.Post($"/vms/{created.Id}/actions", new { type = "power_off" });
        whileNew.ExpectError(409, "conflict");
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, created.CreateActionId)).Status());
        Assert.False((await Vms.Get(user.Api, created.Id)).GetProperty("locked").GetBoolean());

        var powerOff = (await user.Api.Post($"/vms/{created.Id}/actions", new { type = "power_off" })).Expect(201)["action"];
        var during = await Vms.Get(user.Api, created.Id);
        Assert.True(during.GetProperty("locked").GetBoolean(), "a VM with an action in progress is locked");
        Assert.Equal("in-progress", (await user.Api.Get($"/actions/{powerOff.Str("id")}")).Expect(200)["action"].Status());

        (await user.Api.Post($"/vms/{created.Id}/actions", new { type = "reboot" })).ExpectError(409, "conflict");
        (await user.Api.Post($"/vms/{created.Id}/actions", new { type = "snapshot" })).ExpectError(409, "conflict");

        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, powerOff.Str("id"))).Status());
        var after = await Vms.Get(user.Api, created.Id);
        Assert.False(after.GetProperty("locked").GetBoolean());
        Assert.Equal("off", after.Status());
        var types = (await user.Api.Get($"/vms/{created.Id}/actions")).Expect(200)["actions"].EnumerateArray().Select(a => a.Str("type"));
        Assert.Equal(["create", "power_off"], types);
    }

    [Fact]
    public async Task An_in_progress_action_has_no_completed_at_yet()
    {
        var user = await TestAccounts.Create(slow.Server);
        var created = await Vms.Create(user.Api);
        var action = (await user.Api.Get($"/actions/{created.CreateActionId}")).Expect(200)["action"];
        Assert.Equal("in-progress", action.Status());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, action.GetProperty("completed_at").ValueKind);
        Assert.Equal("new", (await Vms.Get(user.Api, created.Id)).Status());
        Assert.Contains(created.Id, (await user.Api.Get("/vms?status=new")).Expect(200)["vms"].Ids());
    }

    [Fact]
    public async Task Concurrent_actions_on_one_vm_start_exactly_one()
    {
        var user = await TestAccounts.Create(slow.Server);
        var created = await Vms.Create(user.Api);
        await Vms.WaitForAction(user.Api, created.CreateActionId);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            user.Api.Post($"/vms/{created.Id}/actions", new { type = "reboot" })));
        Assert.Equal(1, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => a.ExpectError(409, "conflict"));
    }
}
