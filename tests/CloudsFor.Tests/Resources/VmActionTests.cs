using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// POST /vms/{id}/actions: each type moves the VM as documented, from the states it allows; from
/// any other state a 422 that starts nothing.
/// </summary>
public sealed class VmActionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    async Task<(TestUser User, string VmId)> ActiveVm(string size = Vms.SmallSize)
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, size: size);
        return (user, vm.Str("id"));
    }

    [Fact]
    public async Task An_action_answers_201_with_location_and_the_action_in_progress_then_completes()
    {
        var (user, id) = await ActiveVm();
        var r = (await user.Api.Post($"/vms/{id}/actions", new { type = "power_off" })).Expect(201);
        var action = r["action"];
        var actionId = action.Str("id");
        Formats.AssertId(action.GetProperty("id"));
        Assert.EndsWith($"/api/v1/actions/{actionId}", r.Header("Location"));
        Assert.Equal("power_off", action.Str("type"));
        Assert.Equal(id, action.Str("resource_id"));
        Assert.Equal("vm", action.Str("resource_type"));
        Formats.AssertTime(action.GetProperty("started_at"));
        Assert.True(action.TryGetProperty("region", out _), "an action names its region");
        if (action.Status() == "in-progress")
        {
            Assert.Equal(JsonValueKind.Null, action.GetProperty("completed_at").ValueKind);
            Assert.False(action.TryGetProperty("error", out _), "error appears only on errored actions");
        }

        var done = await Vms.WaitForAction(user.Api, actionId);
        Assert.Equal("completed", done.Status());
        Formats.AssertTime(done.GetProperty("completed_at"));
        Assert.True(Formats.Time(done.GetProperty("completed_at")) >= Formats.Time(done.GetProperty("started_at")));
        Assert.False(done.TryGetProperty("error", out _), "error appears only on errored actions");
        var vm = await Vms.Get(user.Api, id);
        Assert.Equal("off", vm.Status());
        Assert.False(vm.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task Power_off_then_on()
    {
        var (user, id) = await ActiveVm();
        Assert.Equal("off", (await Vms.RunCompleted(user.Api, id, new { type = "power_off" })).Status());
        Assert.Equal("active", (await Vms.RunCompleted(user.Api, id, new { type = "power_on" })).Status());
    }

    [Fact]
    public async Task Shutdown_turns_an_active_vm_off()
    {
        var (user, id) = await ActiveVm();
        Assert.Equal("off", (await Vms.RunCompleted(user.Api, id, new { type = "shutdown" })).Status());
    }

    [Fact]
    public async Task Reboot_keeps_it_active()
    {
        var (user, id) = await ActiveVm();
        Assert.Equal("active", (await Vms.RunCompleted(user.Api, id, new { type = "reboot" })).Status());
    }

    [Fact]
    public async Task Power_cycle_works_from_active_and_from_off()
    {
        var (user, id) = await ActiveVm();
        Assert.Equal("active", (await Vms.RunCompleted(user.Api, id, new { type = "power_cycle" })).Status());
        Assert.Equal("off", (await Vms.RunCompleted(user.Api, id, new { type = "power_off" })).Status());
        Assert.Equal("active", (await Vms.RunCompleted(user.Api, id, new { type = "power_cycle" })).Status());
    }

    [Theory]
    [InlineData("power_on")]
    public async Task Actions_that_need_off_are_422_on_an_active_vm(string type)
    {
        var (user, id) = await ActiveVm();
        await AssertRefused(user, id, type, "active");
    }

    [Theory]
    [InlineData("power_off")]
    [InlineData("shutdown")]
    [InlineData("reboot")]
    public async Task Actions_that_need_active_are_422_on_an_off_vm(string type)
    {
        var (user, id) = await ActiveVm();
        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        await AssertRefused(user, id, type, "off");
    }

    [Fact]
    public async Task Rename_changes_the_name()
    {
        var (user, id) = await ActiveVm();
        var vm = await Vms.RunCompleted(user.Api, id, new { type = "rename", name = "renamed.example.com" });
        Assert.Equal("renamed.example.com", vm.Str("name"));
        Assert.Equal("active", vm.Status());
    }

    [Theory]
    [InlineData("{\"type\":\"rename\"}", "name")]
    [InlineData("{\"type\":\"rename\",\"name\":\"no way\"}", "name")]
    [InlineData("{\"type\":\"resize\"}", "size")]
    [InlineData("{\"type\":\"resize\",\"size\":\"s-huge\"}", "size")]
    [InlineData("{\"type\":\"resize\",\"size\":\"s-1vcpu-1gb\",\"disk\":\"yes\"}", "disk")]
    [InlineData("{\"type\":\"rebuild\"}", "image")]
    [InlineData("{\"type\":\"rebuild\",\"image\":\"no-such-image\"}", "image")]
    [InlineData("{\"type\":\"explode\"}", "type")]
    [InlineData("{}", "type")]
    [InlineData("{\"type\":\"create\"}", "type")]
    [InlineData("{\"type\":\"destroy\"}", "type")]
    [InlineData("{\"type\":\"power_off\",\"force\":true}", "force")]
    public async Task Invalid_action_requests_are_422_naming_the_field_and_start_nothing(string body, string field)
    {
        var (user, id) = await ActiveVm();
        var r = await user.Api.Post($"/vms/{id}/actions", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
        Assert.Equal(["create"], await ActionTypes(user, id));
    }

    [Fact]
    public async Task Resize_with_disk_grows_memory_cpus_and_disk()
    {
        var (user, id) = await ActiveVm();
        var vm = await Vms.RunCompleted(user.Api, id, new { type = "resize", size = "s-2vcpu-2gb", disk = true });
        Assert.Equal("s-2vcpu-2gb", vm.Str("size_slug"));
        Assert.Equal("s-2vcpu-2gb", vm.GetProperty("size").Str("slug"));
        Assert.Equal(2048, vm.GetProperty("memory").GetInt32());
        Assert.Equal(2, vm.GetProperty("vcpus").GetInt32());
        Assert.Equal(50, vm.GetProperty("disk").GetInt32());
        Assert.Equal("active", vm.Status());
    }

    [Fact]
    public async Task Resize_without_disk_keeps_the_disk_so_it_can_shrink_back()
    {
        var (user, id) = await ActiveVm();
        var grown = await Vms.RunCompleted(user.Api, id, new { type = "resize", size = "s-2vcpu-2gb", disk = false });
        Assert.Equal(2048, grown.GetProperty("memory").GetInt32());
        Assert.Equal(2, grown.GetProperty("vcpus").GetInt32());
        Assert.Equal(10, grown.GetProperty("disk").GetInt32());
        var back = await Vms.RunCompleted(user.Api, id, new { type = "resize", size = Vms.SmallSize });
        Assert.Equal(512, back.GetProperty("memory").GetInt32());
        Assert.Equal(10, back.GetProperty("disk").GetInt32());
    }

    [Fact]
    public async Task Resize_to_a_size_smaller_than_the_disk_is_422()
    {
        var (user, id) = await ActiveVm(size: "s-1vcpu-1gb");
        var r = await user.Api.Post($"/vms/{id}/actions", new { type = "resize", size = Vms.SmallSize });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("size", r.ErrorFields());
        var vm = await Vms.Get(user.Api, id);
        Assert.Equal("s-1vcpu-1gb", vm.Str("size_slug"));
        Assert.Equal(25, vm.GetProperty("disk").GetInt32());
    }

    [Fact]
    public async Task Resize_works_on_an_off_vm_and_leaves_it_off()
    {
        var (user, id) = await ActiveVm();
        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        var vm = await Vms.RunCompleted(user.Api, id, new { type = "resize", size = "s-1vcpu-1gb", disk = true });
        Assert.Equal("off", vm.Status());
        Assert.Equal(25, vm.GetProperty("disk").GetInt32());
    }

    [Fact]
    public async Task Rebuild_replaces_the_image_and_leaves_the_vm_active()
    {
        var (user, id) = await ActiveVm();
        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        var vm = await Vms.RunCompleted(user.Api, id, new { type = "rebuild", image = "debian-12" });
        Assert.Equal("debian-12", vm.GetProperty("image").Str("slug"));
        Assert.Equal("active", vm.Status());
        var byId = (await user.Api.Get("/images/ubuntu-24-04")).Expect(200)["image"].Str("id");
        var again = await Vms.RunCompleted(user.Api, id, new { type = "rebuild", image = byId });
        Assert.Equal("ubuntu-24-04", again.GetProperty("image").Str("slug"));
    }

    [Fact]
    public async Task The_vms_actions_are_listed_and_readable_under_the_vm()
    {
        var (user, id) = await ActiveVm();
        var reboot = await Vms.RunAction(user.Api, id, new { type = "reboot" });
        Assert.Equal(["create", "reboot"], await ActionTypes(user, id));
        var one = (await user.Api.Get($"/vms/{id}/actions/{reboot.Str("id")}")).Expect(200)["action"];
        Assert.Equal(reboot.GetRawText(), one.GetRawText());

        var otherVm = (await Vms.CreateActive(user.Api)).Str("id");
        var otherActions = (await user.Api.Get($"/vms/{otherVm}/actions")).Expect(200)["actions"].Ids();
        (await user.Api.Get($"/vms/{id}/actions/{otherActions[0]}")).ExpectError(404, "not_found");
        (await user.Api.Get($"/vms/{id}/actions/{Formats.RandomId()}")).ExpectError(404, "not_found");
    }

    async Task AssertRefused(TestUser user, string id, string type, string status)
    {
        var before = await ActionTypes(user, id);
        var r = await user.Api.Post($"/vms/{id}/actions", new { type });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(before, await ActionTypes(user, id));
        Assert.Equal(status, (await Vms.Get(user.Api, id)).Status());
    }

    static async Task<List<string>> ActionTypes(TestUser user, string vmId) =>
        (await user.Api.Get($"/vms/{vmId}/actions?per_page=200")).Expect(200)["actions"].EnumerateArray().Select(a => a.Str("type")).ToList();
}
