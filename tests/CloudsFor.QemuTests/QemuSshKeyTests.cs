using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>A key registered under /account/keys and named by id at create reaches the real guest: ssh logs in with it.</summary>
public sealed class QemuSshKeyTests(QemuServer qemu) : IClassFixture<QemuServer>
{
    ApiClient Api => qemu.Server.Admin;

    [Fact]
    public async Task A_vm_created_with_a_registered_key_id_lets_that_key_log_in()
    {
        using var ssh = new Ssh();
        var (key, publicKey) = await ssh.NewKey("registered");
        var (otherKey, _) = await ssh.NewKey("stranger");
        var keyId = (await Api.Post("/account/keys", new { name = Vms.UniqueName("key"), public_key = publicKey })).Expect(201)["ssh_key"].Str("id");
        var name = Vms.UniqueName("keyed");

        var vm = await Guests.Ready(Api, await Guests.Create(Api, name, sshKeys: [keyId]));

        var sshPort = Guests.HostPortFor(vm, 22);
        var login = await Poll.Until(() => Ssh.Login(key, sshPort, "hostname"), r => r.Code == 0, $"ssh root@127.0.0.1 -p {sshPort}", Guests.BootDeadline);
        Assert.Equal($"{name}\n", login.Output);
        var refused = await Ssh.Login(otherKey, sshPort, "hostname");
        Assert.Equal(255, refused.Code);
        Assert.Contains("Permission denied (publickey)", refused.Error);
    }
}
