using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>VMs that really boot: first-boot data, networking, power, resize, snapshots and deletion, driven over the API.</summary>
public sealed class QemuVmTests(QemuServer qemu) : IClassFixture<QemuServer>
{
    const string CleanShutdown = "cloudsfor: clean shutdown";

    ApiClient Api => qemu.Server.Admin;

    [Fact]
    public async Task A_vm_boots_with_its_key_and_user_data_and_serves_the_host()
    {
        using var ssh = new Ssh();
        var (key, publicKey) = await ssh.NewKey("tester");
        var (otherKey, _) = await ssh.NewKey("stranger");
        var name = Vms.UniqueName("boot");
        var id = await Guests.Create(Api, name, userData: "#!/bin/sh\necho \"marker-$(hostname)\"\n", sshKeys: [publicKey]);
        var vm = await Guests.Ready(Api, id);

        var console = await Guests.Console(Api, id);
        Assert.Contains($"cloudsfor: hostname {name}", console);
        Assert.Contains("cloudsfor: ssh key ssh-ed25519 tester@cloudsfor", console);
        Assert.Contains($"user-data: marker-{name}", console);
        Assert.Contains($"cloudsfor: network eth0 {Guests.PrivateIp(vm)}/16", console);

        using var http = new HttpClient();
        var page = await http.GetStringAsync($"http://127.0.0.1:{Guests.HostPortFor(vm, 80)}/");
        Assert.Equal($"hello from {name}\n", page);

        // SSH through the forwarded port with the key given at create; any other key is refused.
        var sshPort = Guests.HostPortFor(vm, 22);
        var login = await Poll.Until(() => Ssh.Login(key, sshPort, "hostname"), r => r.Code == 0, $"ssh root@127.0.0.1 -p {sshPort}", Guests.BootDeadline);
        Assert.Equal($"{name}\n", login.Output);
        var refused = await Ssh.Login(otherKey, sshPort, "hostname");
        Assert.Equal(255, refused.Code);
        Assert.Contains("Permission denied (publickey)", refused.Error);
    }

    [Fact]
    public async Task Vms_of_a_region_reach_each_other_on_private_addresses()
    {
        var server = await Guests.Ready(Api, await Guests.Create(Api, Vms.UniqueName("srv")));
        var serverIp = Guests.PrivateIp(server);
        var client = await Guests.Create(Api, Vms.UniqueName("cli"),
            userData: $"#!/bin/sh\nping -c 2 -W 3 {serverIp} && echo ping-ok\nwget -q -O - http://{serverIp}/\n");
        await Guests.Ready(Api, client);
        var console = await Guests.Console(Api, client);
        Assert.Contains("user-data: ping-ok", console);
        Assert.Contains($"user-data: hello from {server.Str("name")}", console);
    }

    [Fact]
    public async Task Power_actions_change_the_real_machine()
    {
        var id = await Guests.Create(Api, Vms.UniqueName("power"));
        await Guests.Ready(Api, id);
        var dataDir = qemu.Server.DataDir;

        await Vms.RunCompleted(Api, id, new { type = "shutdown" });
        Assert.Equal("off", (await Vms.Get(Api, id)).Status());
        Assert.Empty(HostProcesses.QemuOf(dataDir, id));
        var console = await Guests.Console(Api, id);
        Assert.Contains("cloudsfor: power button pressed, shutting down", console);
        Assert.Contains(CleanShutdown, console);

        await Vms.RunCompleted(Api, id, new { type = "power_on" });
        await Guests.Ready(Api, id);
        Assert.Single(HostProcesses.QemuOf(dataDir, id));

        // A reboot is the guest's own orderly shutdown, then a new boot on the same console.
        await Vms.RunCompleted(Api, id, new { type = "reboot" });
        console = await Poll.Until(() => Guests.Console(Api, id),
            c => c.Contains(CleanShutdown) && c[c.LastIndexOf(CleanShutdown)..].Contains("cloudsfor: ready"), "a clean shutdown, then ready", Guests.BootDeadline);
        Assert.Contains("cloudsfor: power button pressed, shutting down", console);

        var before = HostProcesses.QemuOf(dataDir, id).Single();
        await Vms.RunCompleted(Api, id, new { type = "power_cycle" });
        Assert.NotEqual(before, HostProcesses.QemuOf(dataDir, id).Single());
        await Guests.Ready(Api, id);

        await Vms.RunCompleted(Api, id, new { type = "power_off" });
        Assert.Equal("off", (await Vms.Get(Api, id)).Status());
        Assert.Empty(HostProcesses.QemuOf(dataDir, id));
    }

    [Fact]
    public async Task Resize_restarts_the_vm_with_more_memory_and_a_bigger_disk()
    {
        var id = await Guests.Create(Api, Vms.UniqueName("resize"));
        await Guests.Ready(Api, id);
        await Vms.RunCompleted(Api, id, new { type = "resize", size = "s-1vcpu-1gb", disk = true });

        var vm = await Guests.Ready(Api, id);
        Assert.Equal(1024, vm.GetProperty("memory").GetInt32());
        Assert.Equal(25, vm.GetProperty("disk").GetInt32());
        var process = HostProcesses.Under(qemu.Server.DataDir).Single(p => p.CommandLine.Contains("cf-" + id));
        Assert.Contains(" -m 1024 ", process.CommandLine);
        var info = await HostCommand("qemu-img", "info", "-U", Path.Combine(qemu.Server.DataDir, "qemu", "vms", id, "disk.qcow2"));
        Assert.Contains("virtual size: 25 GiB", info);
    }

    [Fact]
    public async Task A_snapshot_boots_vms_that_outlive_the_deleted_snapshot()
    {
        var dataDir = qemu.Server.DataDir;
        var source = await Guests.Create(Api, Vms.UniqueName("src"), userData: "#!/bin/sh\necho kept-on-disk > /data/note\nsync\n");
        await Guests.Ready(Api, source);
        var snapshot = await Vms.RunCompleted(Api, source, new { type = "snapshot", name = "with-note" });
        var imageId = snapshot.GetProperty("snapshot_ids")[0].GetString()!;
        Assert.Equal("snapshot", (await Api.Get($"/images/{imageId}")).Expect(200)["image"].Str("type"));

        // Each boot shows the snapshot's file and what the VM itself wrote on an earlier boot.
        const string Script = "#!/bin/sh\ncat /data/note\ncat /data/own 2>/dev/null\necho own-data > /data/own\nsync\n";
        var running = await Guests.Create(Api, Vms.UniqueName("copy"), image: imageId, userData: Script);
        var stopped = await Guests.Create(Api, Vms.UniqueName("idle"), image: imageId, userData: Script);
        await Guests.Ready(Api, running);
        await Guests.Ready(Api, stopped);
        Assert.Contains("user-data: kept-on-disk", await Guests.Console(Api, running));
        await Vms.RunCompleted(Api, stopped, new { type = "power_off" });
        var runningPid = HostProcesses.QemuOf(dataDir, running).Single();

        // The snapshot's files go at the next start, but only after both VMs' disks stopped reading from them.
        (await Api.Delete($"/images/{imageId}")).Expect(204);
        await qemu.Server.RestartAsync();
        Assert.False(Directory.Exists(Path.Combine(dataDir, "qemu", "images", imageId)));
        foreach (var vm in new[] { running, stopped })
            Assert.DoesNotContain("backing file", await HostCommand("qemu-img", "info", "-U", Path.Combine(dataDir, "qemu", "vms", vm, "disk.qcow2")));
        Assert.Equal([runningPid], HostProcesses.QemuOf(dataDir, running)); // detached while it ran

        await Vms.RunCompleted(Api, running, new { type = "power_cycle" });
        await Vms.RunCompleted(Api, stopped, new { type = "power_on" });
        foreach (var vm in new[] { running, stopped })
        {
            await Guests.Ready(Api, vm);
            var console = await Guests.Console(Api, vm);
            Assert.Contains("user-data: kept-on-disk", console);
            Assert.Contains("user-data: own-data", console);
        }
    }

    [Fact]
    public async Task Deleting_a_vm_leaves_no_process_and_no_files()
    {
        var id = await Guests.Create(Api, Vms.UniqueName("gone"));
        await Guests.Ready(Api, id);
        (await Api.Delete($"/vms/{id}")).Expect(204);
        var folder = Path.Combine(qemu.Server.DataDir, "qemu", "vms", id);
        await Poll.Until(() => Task.FromResult(Directory.Exists(folder) || HostProcesses.QemuOf(qemu.Server.DataDir, id).Count > 0),
            present => !present, $"VM {id} destroyed", Guests.BootDeadline);
        (await Api.Get($"/vms/{id}")).ExpectError(404, "not_found");
    }

    static async Task<string> HostCommand(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
