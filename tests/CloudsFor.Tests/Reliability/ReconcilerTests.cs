using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// What the reconciler finds when the hypervisor lost machines, while the server was down or while it runs: an active
/// VM whose machine is gone becomes off once, with the reason; a VM already off stays as it is. Neither gets a new
/// errored action on every round (which once grew the actions table by one row per off VM every five seconds).
/// </summary>
public sealed class ReconcilerTests
{
    [Fact]
    public async Task Machines_lost_while_the_server_was_down_are_recorded_once_and_never_again()
    {
        // No rate limit: the polls below ask every 40 ms for as long as the reconciler's passes take.
        // A round of a second: the sightings below each wait for a round.
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20", "--rate-per-minute", "0", "--reconcile-round-seconds", "1");
        var user = await TestAccounts.Create(server);
        var active = (await Vms.CreateActive(user.Api, name: "was-active")).Str("id");
        var off = (await Vms.CreateActive(user.Api, name: "was-off")).Str("id");
        var marker = (await Vms.CreateActive(user.Api, name: "marker")).Str("id");
        await Vms.RunCompleted(user.Api, off, new { type = "power_off" });

        server.Kill();
        foreach (var id in new[] { active, off })
            SimulatedRows.RemoveVm(server, id);
        await server.RestartAsync();

        await Poll.Until(() => Vms.Get(user.Api, active), vm => vm.Status() == "off", "the lost active VM recorded off");
        // A thing that must not happen needs whole rounds to not happen in. A round checks each VM once, so a marker
        // recorded off in the store after the previous sighting is noticed by a later round; the second sighting
        // proves that the round of the first one went over every VM, and ended.
        for (var sighting = 1; sighting <= 2; sighting++)
        {
            RecordOffBehindTheServersBack(server, marker);
            await Poll.Until(() => ObservedOf(user, marker), seen => seen.Count == sighting, $"sighting {sighting} of the marker running");
        }

        var observed = await ObservedOf(user, active, off);
        Assert.Equal([active], observed.Select(a => a.Str("resource_id")));
        Assert.Equal("errored", observed[0].Status());
        Assert.Equal("off", (await Vms.Get(user.Api, off)).Status());
        Assert.All(await ObservedOf(user, marker), a => Assert.Equal("completed", a.Status()));
    }

    /// <summary>
    /// The simulated driver reports no changes (nothing happens to its machines by themselves), so a machine lost while
    /// the server runs is found by the round, the bound the operator guide gives: this server's round is two seconds.
    /// </summary>
    [Fact]
    public async Task A_machine_lost_while_the_server_runs_is_recorded_off_by_the_round()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20", "--rate-per-minute", "0", "--reconcile-round-seconds", "2");
        var user = await TestAccounts.Create(server);
        var lost = (await Vms.CreateActive(user.Api, name: "lost")).Str("id");
        var kept = (await Vms.CreateActive(user.Api, name: "kept")).Str("id");

        SimulatedRows.RemoveVm(server, lost);

        await Poll.Until(() => Vms.Get(user.Api, lost), vm => vm.Status() == "off", "the VM whose machine was lost recorded off");
        var observed = Assert.Single(await ObservedOf(user, lost, kept));
        Assert.Equal(lost, observed.Str("resource_id"));
        Assert.Equal("errored", observed.Status());
        Assert.Equal("The hypervisor has no machine for this VM any more; it is now off.", observed.Str("error"));
        Assert.Equal("active", (await Vms.Get(user.Api, kept)).Status());
    }

    static async Task<List<System.Text.Json.JsonElement>> ObservedOf(TestUser user, params string[] vmIds) =>
        (await user.Api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray()
            .Where(a => a.Str("type") == "observed_state" && vmIds.Contains(a.Str("resource_id"))).ToList();

    /// <summary>The store says off while the machine runs: the reconciler's next pass makes it active with a completed observed_state action.</summary>
    static void RecordOffBehindTheServersBack(ServerProcess server, string vmId) =>
        Assert.Equal(1, StoreSql.Execute(server, "UPDATE vms SET status = 'off' WHERE id = @id AND status = 'active' AND locked = 0", ("id", vmId)));
}
