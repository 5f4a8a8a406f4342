using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Volumes;

/// <summary>
/// kill -9 while volume actions run: an accepted attach and resize survive the restart and end completed, as VM actions do.
/// Its own server with slow simulated operations (2-3 s), so the actions are in flight at the kill.
/// </summary>
public sealed class VolumeRestartTests : SlowServerTests
{
    [Fact]
    public async Task Volume_actions_cut_off_by_a_kill_resume_and_complete_after_the_restart()
    {
        var user = await TestAccounts.Create(server);
        var vm = await Vms.Create(user.Api);
        var (volume, createAction) = await VolumeKit.Create(user.Api, size: 10);
        var (other, otherCreate) = await VolumeKit.Create(user.Api, size: 10);
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, vm.CreateActionId)).Status());
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, createAction)).Status());
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, otherCreate)).Status());

        var attach = (await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "attach", vm_id = vm.Id })).Expect(201)["action"].Str("id");
        var resize = (await user.Api.Post($"/volumes/{other.Str("id")}/actions", new { type = "resize", size_gigabytes = 12 })).Expect(201)["action"].Str("id");
        // Killed within the 2-3 s the driver takes: both are in flight, and only the store remembers them.
        server.Kill();
        await server.RestartAsync();

        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, attach)).Status());
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, resize)).Status());
        Assert.Equal([volume.Str("id")], (await Vms.Get(user.Api, vm.Id)).GetProperty("volume_ids").Strings());
        Assert.Equal(12, (await VolumeKit.Get(user.Api, other.Str("id"))).GetProperty("size_gigabytes").GetInt32());
    }
}
