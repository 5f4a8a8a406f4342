using System.Collections.Concurrent;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// kill -9 at random moments, again and again, on one data folder: clients keep creating, acting on
/// and deleting VMs until the kill. After every restart each answer the clients got still holds
/// (an accepted VM exists, a deleted one is gone); at the end every action has ended, no VM file of
/// the driver is left without its VM, and SQLite finds the store intact.
/// </summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    const int Rounds = 4;
    const int Clients = 6;
    static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Every answer that promised something: the test's record of what must survive.</summary>
    sealed class Ledger
    {
        public readonly ConcurrentDictionary<string, string> Created = new(); // VM id -> its create action
        public readonly ConcurrentDictionary<string, bool> Deleted = new();
        public readonly ConcurrentDictionary<string, bool> MaybeDeleted = new(); // the kill cut off the answer to a DELETE
        public readonly ConcurrentBag<string> Actions = [];
        public int Requests;

        public IEnumerable<string> Live => Created.Keys.Where(id => !Deleted.ContainsKey(id) && !MaybeDeleted.ContainsKey(id));
    }

    [Fact]
    public async Task Kill_9_at_random_moments_loses_no_acknowledged_write_and_every_action_ends()
    {
        var seed = ReliabilityKit.Seed();
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        using var server = await ServerProcess.StartAsync(["--sim-delay-ms", "20-300", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000",
            .. ReliabilityKit.BigCatalog]);
        var user = await TestAccounts.Create(server, vmLimit: 100_000);
        var ledger = new Ledger();

        for (var round = 0; round < Rounds; round++)
        {
            var killed = new CancellationTokenSource();
            var working = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clients = Enumerable.Range(0, Clients)
                .Select(i => Client(user.Api, ledger, new Random(seed + 100 * round + i), killed.Token, () => working.TrySetResult())).ToList();
            // Once the clients get answers, the kill comes at a random moment: that moment is the point of the test, not a wait for state.
            await working.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(random.Next(50, 1500));
            killed.Cancel();
            server.Kill();
            await Task.WhenAll(clients);
            await server.RestartAsync();
            await AssertAnswersHold(user.Api, ledger);
            output.WriteLine($"round {round + 1}: {ledger.Created.Count} VMs accepted, {ledger.Deleted.Count} deletes, {ledger.Actions.Count} actions so far");
        }

        foreach (var actionId in ledger.Created.Values.Concat(ledger.Actions))
            AssertEnded(await Vms.WaitForAction(user.Api, actionId, DrainDeadline));
        var actions = await Poll.Until(() => ReliabilityKit.All(user.Api, "/actions", "actions"),
            all => all.All(a => a.Status() != "in-progress"), "every action ending", DrainDeadline);
        foreach (var action in actions)
            AssertEnded(action);
        var vms = await Poll.Until(() => ReliabilityKit.All(user.Api, "/vms", "vms"),
            all => all.All(v => !v.GetProperty("locked").GetBoolean()), "every VM unlocked", DrainDeadline);
        await AssertAnswersHold(user.Api, ledger);
        var vmIds = vms.Select(v => v.Str("id")).ToHashSet();
        Assert.Superset(ledger.Live.ToHashSet(), vmIds);

        server.Kill();
        // The simulated driver keeps one row per VM: none may outlive its VM, and every active VM has one.
        var machines = SimulatedRows.Ids(server, "vm");
        Assert.Subset(vmIds, machines);
        Assert.Subset(machines, vms.Where(v => v.Status() == "active").Select(v => v.Str("id")).ToHashSet());
        ReliabilityKit.AssertStoreIntact(server);
        output.WriteLine($"{Rounds} crashes survived; {ledger.Requests} requests sent, {ledger.Created.Count} creates, {ledger.Deleted.Count} deletes and " +
            $"{ledger.Actions.Count} actions acknowledged; {actions.Count(a => a.Status() == "completed")} actions completed, " +
            $"{actions.Count(a => a.Status() == "errored")} errored");
    }

    /// <summary>One client: creates, acts on and deletes VMs of the account until the kill, recording every acknowledgement.</summary>
    static async Task Client(ApiClient api, Ledger ledger, Random random, CancellationToken killed, Action answered)
    {
        var n = 0;
        while (!killed.IsCancellationRequested)
        {
            try
            {
                Interlocked.Increment(ref ledger.Requests);
                var live = ledger.Live.ToList();
                var roll = random.Next(100);
                if (roll < 45 || live.Count == 0)
                {
                    var r = await api.Post("/vms", new { name = $"crash-{random.Next()}-{n++}", size = Vms.SmallSize, image = Vms.TinyImage });
                    if (r.Status == 202)
                        ledger.Created[r["vm"].Str("id")] = r["links"].GetProperty("actions")[0].Str("id");
                    answered();
                }
                else if (roll < 80)
                {
                    var type = new[] { "power_off", "power_on", "reboot", "snapshot" }[random.Next(4)];
                    var r = await api.Post($"/vms/{live[random.Next(live.Count)]}/actions", new { type });
                    if (r.Status == 201)
                        ledger.Actions.Add(r["action"].Str("id"));
                }
                else if (roll < 92)
                {
                    var id = live[random.Next(live.Count)];
                    ledger.MaybeDeleted[id] = true;
                    if ((await api.Delete($"/vms/{id}")).Status == 204)
                        ledger.Deleted[id] = true;
                    else
                        ledger.MaybeDeleted.TryRemove(id, out _);
                }
                else
                    await api.Get($"/vms/{live[random.Next(live.Count)]}");
            }
            catch (Exception) when (killed.IsCancellationRequested)
            {
                return; // cut off by the kill: neither accepted nor refused, as a client would see it
            }
        }
    }

    /// <summary>
    /// An accepted VM exists; a deleted one is gone, unless its destroy action was cut off by so many
    /// restarts that it was given up (errored), which brings the VM back so the delete can be retried.
    /// </summary>
    static async Task AssertAnswersHold(ApiClient api, Ledger ledger) =>
        await Parallel.ForEachAsync(ledger.Created.Keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            var r = await api.Get($"/vms/{id}");
            if (ledger.MaybeDeleted.ContainsKey(id) && !ledger.Deleted.ContainsKey(id))
                Assert.True(r.Status is 200 or 404, $"VM {id}, whose delete got no answer, answered {r}");
            else if (!ledger.Deleted.ContainsKey(id))
                Assert.True(r.Status == 200, $"accepted VM {id} answered {r}");
            else if (r.Status != 404)
            {
                var actions = (await api.Get($"/vms/{id}/actions?per_page=200")).Expect(200)["actions"].EnumerateArray();
                Assert.True(actions.Any(a => a.Str("type") == "destroy" && a.Status() == "errored"), $"deleted VM {id} answered {r}");
            }
        });

    static void AssertEnded(JsonElement action)
    {
        Assert.True(action.Status() is "completed" or "errored", $"action did not end: {action}");
        if (action.Status() == "errored")
            Assert.True(action.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String, $"errored without a reason: {action}");
    }
}
