using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Faults;

/// <summary>A server whose simulated driver fails every create (--sim-fail create).</summary>
public sealed class FailingCreateServer() : ServerFixture("--sim-fail", "create", "--sim-delay-ms", "0-50");

/// <summary>A server whose simulated driver creates VMs but fails every snapshot and power_off.</summary>
public sealed class FailingActionServer() : ServerFixture("--sim-fail", "snapshot,power_off", "--sim-delay-ms", "0-50");

/// <summary>When the driver fails, the action ends errored with a reason, the VM says so and is unlocked, and a rebuild recovers it.</summary>
public sealed class FaultInjectionTests(FailingCreateServer failingCreate, FailingActionServer failingActions)
    : IClassFixture<FailingCreateServer>, IClassFixture<FailingActionServer>
{
    [Fact]
    public async Task A_failed_create_errors_the_action_with_a_reason_and_the_vm()
    {
        var user = await TestAccounts.Create(failingCreate.Server);
        var created = await Vms.Create(user.Api);
        var action = await Vms.WaitForAction(user.Api, created.CreateActionId);
        Assert.Equal("errored", action.Status());
        Assert.False(string.IsNullOrWhiteSpace(ErrorText(action)), $"errored action without a reason: {action}");
        Formats.AssertTime(action.GetProperty("completed_at"));

        var vm = await Vms.Get(user.Api, created.Id);
        Assert.Equal("errored", vm.Status());
        Assert.False(vm.GetProperty("locked").GetBoolean());
        Assert.Equal([created.Id], (await user.Api.Get("/vms?status=errored")).Expect(200)["vms"].Ids());
    }

    [Fact]
    public async Task An_errored_vm_refuses_power_actions()
    {
        var user = await TestAccounts.Create(failingCreate.Server);
        var created = await Vms.Create(user.Api);
        await Vms.WaitForAction(user.Api, created.CreateActionId);
        foreach (var type in new[] { "power_on", "power_off", "shutdown", "reboot", "power_cycle", "resize", "snapshot" })
        {
            var body = type == "resize" ? (object)new { type, size = "s-1vcpu-1gb" } : new { type };
            (await user.Api.Post($"/vms/{created.Id}/actions", body)).ExpectError(422, "unprocessable_entity");
        }
        Assert.Equal(["create"], (await user.Api.Get($"/vms/{created.Id}/actions")).Expect(200)["actions"].EnumerateArray().Select(a => a.Str("type")));
    }

    [Fact]
    public async Task Rebuild_recovers_a_vm_whose_create_failed()
    {
        var user = await TestAccounts.Create(failingCreate.Server);
        var created = await Vms.Create(user.Api);
        await Vms.WaitForAction(user.Api, created.CreateActionId);
        var vm = await Vms.RunCompleted(user.Api, created.Id, new { type = "rebuild", image = "debian-12" });
        Assert.Equal("active", vm.Status());
        Assert.Equal("debian-12", vm.GetProperty("image").Str("slug"));
    }

    [Fact]
    public async Task A_vm_whose_create_failed_can_be_deleted()
    {
        var user = await TestAccounts.Create(failingCreate.Server);
        var created = await Vms.Create(user.Api);
        await Vms.WaitForAction(user.Api, created.CreateActionId);
        (await user.Api.Delete($"/vms/{created.Id}")).Expect(204);
        (await user.Api.Get($"/vms/{created.Id}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task A_failed_snapshot_errors_leaves_no_image_and_unlocks_the_vm()
    {
        var user = await TestAccounts.Create(failingActions.Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var snapshot = await Vms.RunAction(user.Api, id, new { type = "snapshot", name = "doomed" });
        Assert.Equal("errored", snapshot.Status());
        Assert.False(string.IsNullOrWhiteSpace(ErrorText(snapshot)));
        var vm = await Vms.Get(user.Api, id);
        Assert.False(vm.GetProperty("locked").GetBoolean());
        Assert.Equal("active", vm.Status());
        Assert.Empty(vm.GetProperty("snapshot_ids").EnumerateArray());
        Assert.Empty((await user.Api.Get("/images?type=snapshot")).Expect(200)["images"].EnumerateArray());
        Assert.Empty((await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"].EnumerateArray());
    }

    [Fact]
    public async Task A_failed_power_off_errors_and_the_vm_can_take_the_next_action()
    {
        var user = await TestAccounts.Create(failingActions.Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var powerOff = await Vms.RunAction(user.Api, id, new { type = "power_off" });
        Assert.Equal("errored", powerOff.Status());
        Assert.False(string.IsNullOrWhiteSpace(ErrorText(powerOff)));
        var vm = await Vms.Get(user.Api, id);
        Assert.False(vm.GetProperty("locked").GetBoolean());
        Assert.Equal("active", vm.Status());
        await Vms.RunCompleted(user.Api, id, new { type = "rename", name = "still-usable" });
    }

    /// <summary>The reason of an errored action: a string, or an object with a message.</summary>
    static string? ErrorText(JsonElement action)
    {
        if (!action.TryGetProperty("error", out var error))
            return null;
        return error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message", out var message) => message.GetString(),
            _ => null,
        };
    }
}
