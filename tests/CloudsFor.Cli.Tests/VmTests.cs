using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>The life of a VM through the CLI: create --wait, list in every output form, power off --wait, delete.</summary>
public sealed class VmTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task List_is_tab_separated_with_a_header_on_a_pipe_json_with_o_json_and_takes_format_and_no_header()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var vm = await Vms(user, "db-1");

        var table = await home.Ok("vm", "list");
        Assert.Equal(["ID\tName\tStatus\tIPv4\tRegion", $"{vm.Id}\tdb-1\tactive\t{vm.Ip}\tfra1"], table.Lines);

        var json = JsonDocument.Parse((await home.Ok("vm", "list", "-o", "json")).Stdout).RootElement;
        var only = Assert.Single(json.EnumerateArray());
        Assert.Equal(vm.Id, only.GetProperty("id").GetString());
        Assert.Equal("s-1vcpu-512mb", only.GetProperty("size_slug").GetString());

        var chosen = await home.Ok("vm", "list", "--format", "name,STATUS,Size", "--no-header");
        Assert.Equal("db-1\tactive\ts-1vcpu-512mb\n", chosen.Stdout);

        var one = JsonDocument.Parse((await home.Ok("vm", "get", "db-1", "-o", "json")).Stdout).RootElement;
        Assert.Equal(JsonValueKind.Object, one.ValueKind);
        Assert.Equal(vm.Id, one.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Power_off_with_wait_ends_with_the_completed_action_and_the_vm_off()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var vm = await Vms(user, "app-1");

        var off = await home.Ok("vm", "power-off", vm.Id, "--wait", "--format", "type,status", "--no-header");

        Assert.Equal("power_off\tcompleted\n", off.Stdout);
        var now = (await user.Api.Get($"/vms/{vm.Id}")).Expect(200)["vm"];
        Assert.Equal("off", now.GetProperty("status").GetString());
        Assert.False(now.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task Delete_by_name_removes_the_vm()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var vm = await Vms(user, "old-1");

        var deleted = await home.Ok("vm", "delete", "old-1", "--wait");

        Assert.Equal("", deleted.Stdout);
        (await user.Api.Get($"/vms/{vm.Id}")).Expect(404);
        var destroy = (await user.Api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray()
            .Single(a => a.GetProperty("resource_id").GetString() == vm.Id && a.GetProperty("type").GetString() == "destroy");
        Assert.Equal("completed", destroy.GetProperty("status").GetString());
    }

    /// <summary>An active VM made through the API, and its address.</summary>
    static async Task<(string Id, string Ip)> Vms(TestUser user, string name)
    {
        var id = (await user.Api.Post("/vms", new { name, size = "s-1vcpu-512mb", image = "tiny" })).Expect(202)["vm"].GetProperty("id").GetString()!;
        var vm = await Poll.Until(async () => (await user.Api.Get($"/vms/{id}")).Expect(200)["vm"],
            v => v.GetProperty("status").GetString() == "active" && !v.GetProperty("locked").GetBoolean(), $"VM {name} active");
        return (id, vm.GetProperty("networks").GetProperty("v4")[0].GetProperty("ip_address").GetString()!);
    }
}
