using CloudsFor.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CloudsFor.QemuTests;

/// <summary>
/// VMs outlive the server: after a kill -9 and a restart they are still active and controllable,
/// a VM whose machine died meanwhile is recorded off with the reason, and a machine that belongs
/// to no VM in the store is removed. A graceful stop leaves no other process behind.
/// </summary>
public sealed class QemuRestartTests(QemuServer qemu) : IClassFixture<QemuServer>
{
    ApiClient Api => qemu.Server.Admin;

    [Fact]
    public async Task Vms_survive_a_killed_server_and_nothing_is_orphaned()
    {
        var dataDir = qemu.Server.DataDir;
        var survivor = await Guests.Create(Api, Vms.UniqueName("survivor"));
        var dies = await Guests.Create(Api, Vms.UniqueName("dies"));
        var orphan = await Guests.Create(Api, Vms.UniqueName("orphan"));
        foreach (var id in new[] { survivor, dies, orphan })
            await Guests.Ready(Api, id);
        var survivorPid = HostProcesses.QemuOf(dataDir, survivor).Single();

        qemu.Server.Kill();
        Assert.Equal([survivorPid], HostProcesses.QemuOf(dataDir, survivor));
        // While the server is down: one VM's machine dies, and one VM vanishes from the store.
        foreach (var pid in HostProcesses.QemuOf(dataDir, dies))
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        ForgetVm(dataDir, orphan);

        await qemu.Server.RestartAsync();

        Assert.Equal("active", (await Vms.Get(Api, survivor)).Status());
        Assert.Equal([survivorPid], HostProcesses.QemuOf(dataDir, survivor));
        Assert.Empty(HostProcesses.QemuOf(dataDir, orphan));
        Assert.False(Directory.Exists(Path.Combine(dataDir, "qemu", "vms", orphan)));

        var off = await Poll.Until(() => Vms.Get(Api, dies), vm => vm.Status() == "off", "the dead VM recorded off", TimeSpan.FromSeconds(60));
        var observed = (await Api.Get($"/vms/{dies}/actions")).Expect(200)["actions"].EnumerateArray()
            .Single(a => a.Str("type") == "observed_state");
        Assert.Equal("errored", observed.Status());
        Assert.Contains("stopped", observed.Str("error"));
        Assert.False(off.GetProperty("locked").GetBoolean());

        // Still controllable through the re-attached monitor socket.
        await Vms.RunCompleted(Api, survivor, new { type = "power_off" });
        Assert.Empty(HostProcesses.QemuOf(dataDir, survivor));
        await Vms.RunCompleted(Api, dies, new { type = "power_on" });
        await Guests.Ready(Api, dies);
    }

    [Fact]
    public async Task A_stopped_server_leaves_only_its_vms_and_their_network_works_again_after_a_restart()
    {
        var dataDir = qemu.Server.DataDir;
        var first = await Guests.Ready(Api, await Guests.Create(Api, Vms.UniqueName("before")));
        var machines = HostProcesses.Qemu(dataDir);
        Assert.Contains(HostProcesses.QemuOf(dataDir, first.Str("id")).Single(), machines);

        await StopGracefully(dataDir);
        Assert.Equal(machines, HostProcesses.Under(dataDir).Select(p => p.Pid).Order().ToList());

        // The next server gives the running VM its switch back: a VM made now reaches it on the private network.
        await qemu.Server.RestartAsync();
        Assert.Equal("active", (await Vms.Get(Api, first.Str("id"))).Status());
        var firstIp = Guests.PrivateIp(first);
        var second = await Guests.Create(Api, Vms.UniqueName("after"),
            userData: $"#!/bin/sh\nping -c 2 -W 3 {firstIp} && echo ping-ok\nwget -q -O - http://{firstIp}/\n");
        await Guests.Ready(Api, second);
        var console = await Guests.Console(Api, second);
        Assert.Contains("user-data: ping-ok", console);
        Assert.Contains($"user-data: hello from {first.Str("name")}", console);
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C stops it: the server's shutdown runs, and it exits.</summary>
    static async Task StopGracefully(string dataDir)
    {
        var server = HostProcesses.Under(dataDir).Single(p => p.CommandLine.Contains("cloudsfor.dll serve", StringComparison.Ordinal)).Pid;
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", server.ToString()]))
            await kill.WaitForExitAsync();
        await Poll.Until(() => Task.FromResult(HostProcesses.Under(dataDir).Any(p => p.Pid == server)), running => !running, "the server exits on SIGTERM");
    }

    /// <summary>As if the store never had the VM (a restored backup, a crash before the commit): its machine is an orphan.</summary>
    static void ForgetVm(string dataDir, string vmId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "cloudsfor.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM vms WHERE id = $id";
        command.Parameters.AddWithValue("$id", vmId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
