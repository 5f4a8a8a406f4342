using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>
/// A machine that dies while the server runs is noticed through its process ending, not by the reconciler's round:
/// this server's round is an hour, so within the poll's deadline only the report of the exit can have found it.
/// </summary>
public sealed class QemuReconcilerTests : IAsyncLifetime
{
    ServerProcess server = null!;

    public async Task InitializeAsync() => server = await ServerProcess.StartAsync([.. QemuServer.Settings, "--reconcile-round-seconds", "3600"]);

    public Task DisposeAsync()
    {
        server.Kill();
        HostProcesses.KillAll(server.DataDir);
        server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_machine_killed_while_the_server_runs_is_recorded_off_through_its_exit()
    {
        var api = server.Admin;
        var id = await Guests.Create(api, Vms.UniqueName("killed"));
        await Guests.Ready(api, id);

        // SIGKILL, as the OOM killer ends a machine: QEMU says nothing on its way out.
        System.Diagnostics.Process.GetProcessById(HostProcesses.QemuOf(server.DataDir, id).Single()).Kill();

        var off = await Poll.Until(() => Vms.Get(api, id), vm => vm.Status() == "off", "the killed VM recorded off");
        Assert.False(off.GetProperty("locked").GetBoolean());
        var observed = (await api.Get($"/vms/{id}/actions")).Expect(200)["actions"].EnumerateArray().Single(a => a.Str("type") == "observed_state");
        Assert.Equal("errored", observed.Status());
        Assert.Equal("The VM's machine was found stopped (it powered itself off or its process ended); it is now off.", observed.Str("error"));
    }
}
