using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Faults;

/// <summary>
/// Actions on one VM run in the order they were accepted: a delete sent right after a create must not
/// overtake it, or the driver would destroy nothing and then create a VM that nobody owns any more.
/// </summary>
public sealed class ActionOrderTests
{
    [Fact]
    public async Task Deletes_queued_behind_creates_run_after_them_also_when_resumed_after_a_crash()
    {
        // Operations slow enough that the server is killed with most creates and deletes still waiting.
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "1500-2500", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server, vmLimit: 100);
        // Four clients at once: more actions arrive than the worker runs at a time, so creates and deletes queue up.
        var created = (await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var mine = new List<CreatedVm>();
            for (var i = 0; i < 15; i++)
            {
                var vm = await Vms.Create(user.Api);
                (await user.Api.Delete($"/vms/{vm.Id}")).Expect(204);
                mine.Add(vm);
            }
            return mine;
        }))).SelectMany(vms => vms).ToList();
        // After a restart the worker resumes them all at once: each VM's create still comes before its delete.
        await server.RestartAsync();

        foreach (var vm in created)
        {
            var actions = await Poll.Until(
                () => user.Api.Get("/actions?per_page=200"),
                r => r.Status == 200 && r["actions"].EnumerateArray().Where(a => a.Str("resource_id") == vm.Id).All(a => a.Status() != "in-progress"),
                $"the actions of VM {vm.Id} finishing");
            var ofVm = actions["actions"].EnumerateArray().Where(a => a.Str("resource_id") == vm.Id).ToList();
            Assert.Equal(["create", "destroy"], ofVm.Select(a => a.Str("type")));
            Assert.All(ofVm, a => Assert.Equal("completed", a.Status()));
            // The destroy ran last: the simulated driver keeps nothing of the VM.
            Assert.False(SimulatedRows.Has(server, "vm", vm.Id), $"VM {vm.Id} was created after it was destroyed");
        }
    }
}
