using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>The command line against real VMs: `vm create --wait` means the guest is up, not just that QEMU runs.</summary>
public sealed class QemuCliTests(QemuServer qemu) : IClassFixture<QemuServer>
{
    [Fact]
    public async Task Vm_create_wait_returns_once_the_guest_answers_ssh_with_the_key_given()
    {
        using var ssh = new Ssh();
        var (key, publicKey) = await ssh.NewKey("cli");
        using var home = new CliHome(qemu.Server) { Deadline = Guests.BootDeadline * 2 };
        await home.Login();
        var name = Vms.UniqueName("cli");

        var created = await home.Ok("vm", "create", name, "--size", "s-1vcpu-512mb", "--image", "tiny", "--ssh-keys", publicKey, "--wait", "-o", "json");

        // No polling here: the moment the command returns, the guest must already answer.
        var vm = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal("active", vm.Str("status"));
        var login = await Ssh.Login(key, Guests.HostPortFor(vm, 22), "hostname");
        Assert.True(login.Code == 0, $"ssh right after create --wait: {login}");
        Assert.Equal($"{name}\n", login.Output);

        await home.Ok("vm", "delete", name, "--wait");
        Assert.Equal(1, (await home.Run("vm", "get", name)).ExitCode);
    }
}
