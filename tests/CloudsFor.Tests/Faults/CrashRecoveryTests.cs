using System.Collections.Concurrent;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Faults;

/// <summary>
/// kill -9 in the middle of work: every request the server accepted (202/201) survives the restart,
/// and every action, including the ones cut off mid-flight, ends completed or errored with a reason.
/// Uses its own server with slow simulated operations (3-4 s) so work is in flight at the kill, which the store, read right after it, must show.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(90);

    ServerProcess server = null!;

    public async Task InitializeAsync() => server = await ServerProcess.StartAsync("--sim-delay-ms", "3000-4000", "--rate-per-minute", "0", "--rate-per-hour", "0");

    public Task DisposeAsync()
    {
        server.Dispose();
        return Task.CompletedTask;
    }

    sealed record StartedAction(string VmId, string Type, string ActionId);

    [Fact]
    public async Task A_kill_mid_work_loses_no_accepted_request_and_every_action_ends()
    {
        var user = await TestAccounts.Create(server);
        var running = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Vms.CreateActive(user.Api, name: $"running-{i}", size: Vms.SmallSize)));
        var runningIds = running.Select(v => v.Str("id")).ToArray();

        var killed = false;
        var accepted = new ConcurrentBag<CreatedVm>();
        var started = new ConcurrentBag<StartedAction>();
        var next = -1;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Creates keep coming from several clients until the kill, so some are cut off mid-request.
        async Task CreateUntilKilled()
        {
            while (!Volatile.Read(ref killed))
            {
                var n = Interlocked.Increment(ref next);
                if (n >= 40)
                    return;
                try
                {
                    var r = await user.Api.Post("/vms", new { name = $"crash-{n}", size = Vms.SmallSize, image = Vms.TinyImage });
                    if (r.Status == 202)
                    {
                        accepted.Add(new CreatedVm(r["vm"].Str("id"), r["links"].GetProperty("actions")[0].Str("id"), r));
                        if (accepted.Count >= 16)
                            enough.TrySetResult();
                    }
                }
                catch (Exception) when (Volatile.Read(ref killed))
                {
                    return; // Cut off by the kill: neither accepted nor refused, as a client would see it.
                }
            }
        }

        async Task Act(string vmId, string type, object body)
        {
            try
            {
                var r = await user.Api.Post($"/vms/{vmId}/actions", body);
                if (r.Status == 201)
                    started.Add(new StartedAction(vmId, type, r["action"].Str("id")));
            }
            catch (Exception) when (Volatile.Read(ref killed))
            {
            }
        }

        var clients = Enumerable.Range(0, 6).Select(_ => CreateUntilKilled()).ToList();
        clients.Add(Act(runningIds[0], "power_off", new { type = "power_off" }));
        clients.Add(Act(runningIds[1], "reboot", new { type = "reboot" }));
        clients.Add(Act(runningIds[2], "snapshot", new { type = "snapshot", name = "crash-snap" }));
        clients.Add(Act(runningIds[3], "resize", new { type = "resize", size = "s-1vcpu-1gb", disk = true }));

        // About twenty creates: the kill comes the moment sixteen are accepted, while the clients still have requests on the wire.
        await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Volatile.Write(ref killed, true);
        server.Kill();
        await Task.WhenAll(clients);
        // What the store held at the moment of the kill: unless some accepted work was still in flight, the test proves nothing.
        var cutOff = InProgressActionIds().Intersect(accepted.Select(v => v.CreateActionId).Concat(started.Select(a => a.ActionId))).Count();
        Assert.True(cutOff > 0, "every accepted action had finished before the kill; the test proved nothing");

        await server.RestartAsync();

        foreach (var vm in accepted)
            (await user.Api.Get($"/vms/{vm.Id}")).Expect(200);

        var knownActions = accepted.Select(v => v.CreateActionId).Concat(started.Select(a => a.ActionId)).ToList();
        foreach (var actionId in knownActions)
            AssertEnded(await Vms.WaitForAction(user.Api, actionId, DrainDeadline));

        var allActions = await Poll.Until(
            async () => (await user.Api.Get("/actions?per_page=200")).Expect(200)["actions"].EnumerateArray().ToList(),
            actions => actions.All(a => a.Status() != "in-progress"),
            "every action ending after the restart",
            DrainDeadline);
        foreach (var action in allActions)
            AssertEnded(action);
        output.WriteLine($"accepted creates: {accepted.Count}, accepted actions: {started.Count}, attempted: {Math.Min(next + 1, 40)}, in progress at the kill: {cutOff}, " +
            $"after restart: {allActions.Count(a => a.Status() == "completed")} completed, {allActions.Count(a => a.Status() == "errored")} errored");

        var vms = (await user.Api.Get("/vms?per_page=200")).Expect(200)["vms"].EnumerateArray().ToList();
        Assert.Superset(accepted.Select(v => v.Id).ToHashSet(), vms.Select(v => v.Str("id")).ToHashSet());
        foreach (var vm in vms)
        {
            Assert.False(vm.GetProperty("locked").GetBoolean(), $"VM still locked after every action ended: {vm}");
            Assert.NotEqual("new", vm.Status());
        }

        await AssertOutcomesMatchVms(user, accepted, started);

        // The restarted server goes on working.
        await Vms.CreateActive(user.Api, name: "after-restart");
    }

    /// <summary>Read-only (StoreSql.Column), so the dead server's SQLite log is left for the restarted one to recover, as after a real crash.</summary>
    HashSet<string> InProgressActionIds() => StoreSql.Column<string>(server, "SELECT id FROM actions WHERE status = 'in-progress'").ToHashSet();

    static void AssertEnded(JsonElement action)
    {
        var status = action.Status();
        Assert.True(status is "completed" or "errored", $"action did not end: {action}");
        Assert.NotEqual(JsonValueKind.Null, action.GetProperty("completed_at").ValueKind);
        if (status == "errored")
            Assert.True(action.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null, $"errored without a reason: {action}");
    }

    /// <summary>What each finished action claims is what the VM shows.</summary>
    static async Task AssertOutcomesMatchVms(TestUser user, IEnumerable<CreatedVm> accepted, IEnumerable<StartedAction> started)
    {
        foreach (var created in accepted)
        {
            var action = (await user.Api.Get($"/actions/{created.CreateActionId}")).Expect(200)["action"];
            var vm = await Vms.Get(user.Api, created.Id);
            Assert.Equal(action.Status() == "completed" ? "active" : "errored", vm.Status());
        }
        foreach (var s in started)
        {
            var action = (await user.Api.Get($"/actions/{s.ActionId}")).Expect(200)["action"];
            if (action.Status() != "completed")
                continue;
            var vm = await Vms.Get(user.Api, s.VmId);
            switch (s.Type)
            {
                case "power_off":
                    Assert.Equal("off", vm.Status());
                    break;
                case "reboot":
                    Assert.Equal("active", vm.Status());
                    break;
                case "snapshot":
                    Assert.Equal(1, (await user.Api.Get($"/vms/{s.VmId}/snapshots")).Expect(200)["snapshots"].GetArrayLength());
                    break;
                case "resize":
                    Assert.Equal(25, vm.GetProperty("disk").GetInt32());
                    Assert.Equal("s-1vcpu-1gb", vm.Str("size_slug"));
                    break;
            }
        }
    }
}
