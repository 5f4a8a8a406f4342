using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>A server whose VMs take a second and a half to create, so a create that did not wait would still see them new.</summary>
public sealed class CreateTakesAWhile() : ServerFixture("--sim-delay-ms", "1500", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000");

/// <summary>`vm create --wait` returns only once the create action completed and the guest printed its ready line.</summary>
public sealed class CreateWaitTests(CreateTakesAWhile server) : IClassFixture<CreateTakesAWhile>
{
    [Fact]
    public async Task Create_with_wait_returns_once_the_vm_is_active_and_its_guest_said_ready()
    {
        using var home = new CliHome(server.Server);
        var user = await home.Login();

        var created = await home.Ok("vm", "create", "web-1", "--size", "s-1vcpu-512mb", "--image", "tiny", "--wait", "-o", "json");

        var vm = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal("web-1", vm.GetProperty("name").GetString());
        Assert.Equal("active", vm.GetProperty("status").GetString());
        Assert.False(vm.GetProperty("locked").GetBoolean());
        var id = vm.GetProperty("id").GetString()!;
        var console = (await user.Api.Get($"/vms/{id}/console")).Expect(200)["console"].GetProperty("output").GetString();
        Assert.Contains("cloudsfor: ready", console);
        // Nothing on a pipe while waiting: no spinner.
        Assert.Equal("", created.Stderr);
    }
}
