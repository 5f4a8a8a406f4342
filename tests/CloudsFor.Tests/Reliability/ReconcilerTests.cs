using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// What the reconciler finds when the hypervisor lost machines while the server was down: an active VM
/// whose machine is gone becomes off once, with the reason; a VM already off stays as it is. Neither
/// gets a new errored action on every pass (which once grew the actions table by one row per off VM
/// every five seconds).
/// </summary>
public sealed class ReconcilerTests
{
    [Fact]
    public async Task Machines_lost_while_the_server_was_down_are_recorded_once_and_never_again()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(server);
        var active = (await Vms.CreateActive(user.Api, name: "was-active")).Str("id");
        var off = (await Vms.CreateActive(user.Api, name: "was-off")).Str("id");
        await Vms.RunCompleted(user.Api, off, new { type = "power_off" });

        server.Kill();
        foreach (var id in new[] { active, off })
            File.Delete(Path.Combine(server.DataDir, "simulated", id + ".json"));
        await server.RestartAsync();

        await Poll.Until(() => Vms.Get(user.Api, active), vm => vm.Status() == "off", "the lost active VM recorded off");
        // Several passes of the reconciler (one every 5 s): a thing that must not happen needs time to not happen.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var observed = (await user.Api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray()
            .Where(a => a.Str("type") == "observed_state").ToList();
        Assert.Equal([active], observed.Select(a => a.Str("resource_id")));
        Assert.Equal("errored", observed[0].Status());
        Assert.Equal("off", (await Vms.Get(user.Api, off)).Status());
    }
}
