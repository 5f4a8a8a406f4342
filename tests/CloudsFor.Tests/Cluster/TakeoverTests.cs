using CloudsFor.Tests.Infrastructure;
using Npgsql;

namespace CloudsFor.Tests.Cluster;

/// <summary>
/// Work is shared by the servers on one database: a server killed with kill -9 while it runs actions leaves them to the
/// others, which take them over once its claims' leases run out and carry them to the end, never running one resource's
/// work on two servers at once (the simulated driver records every execution with its server, start and end).
/// </summary>
[Trait("Store", "postgres")]
public sealed class TakeoverTests
{
    // Operations long enough to be caught in flight; a short lease so the takeover comes soon; no rate limit for the polls.
    static readonly string[] Slow = ["--sim-delay-ms", "1500-2500", "--work-lease", "3", "--rate-per-minute", "0"];

    sealed record Execution(string ResourceId, string Server, string StartedAt, string? EndedAt);

    [Fact]
    public async Task The_actions_of_a_server_killed_mid_run_are_finished_by_the_others_and_none_runs_twice_at_once()
    {
        using var database = await TestDatabase.Create();
        var a = await ServerProcess.StartOnDatabase(database, Slow);
        using var b = await ServerProcess.StartOnDatabase(database, Slow);
        using var c = await ServerProcess.StartOnDatabase(database, Slow);
        var user = await TestAccounts.Create(a);
        var created = new List<CreatedVm>();
        for (var i = 0; i < 8; i++)
            created.Add(await Vms.Create(user.Api, $"takeover-{i}"));
        // A accepted them, so A runs them: kill it while its executions are under way.
        await Poll.Until(() => Executions(database), rows => rows.Count(r => r.EndedAt is null) >= 3, "A running several creates");
        a.Kill();
        var killedAt = Clock(DateTimeOffset.UtcNow);
        a.Dispose();

        var onB = ApiClient.Basic(b, user.Username, user.Password);
        var onC = ApiClient.Basic(c, user.Username, user.Password);
        foreach (var vm in created)
        {
            var action = await Vms.WaitForAction(onB, vm.CreateActionId);
            Assert.Equal("completed", action.GetProperty("status").GetString());
            Assert.Equal("active", (await Vms.Get(onC, vm.Id)).GetProperty("status").GetString());
        }

        var executions = await Executions(database);
        var cut = executions.Where(e => e.EndedAt is null).ToList();
        Assert.NotEmpty(cut);
        Assert.All(cut, e => Assert.Equal(cut[0].Server, e.Server));
        var killedServer = cut[0].Server;
        // Every VM A was creating when it died was created by another server afterwards.
        foreach (var interrupted in cut)
            Assert.Contains(executions, e => e.ResourceId == interrupted.ResourceId && e.Server != killedServer && e.EndedAt is not null);
        foreach (var resource in executions.GroupBy(e => e.ResourceId))
        {
            var ordered = resource.OrderBy(e => e.StartedAt, StringComparer.Ordinal).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var before = ordered[i - 1];
                var ended = before.EndedAt ?? killedAt;
                Assert.True(string.CompareOrdinal(ended, ordered[i].StartedAt) <= 0,
                    $"on {resource.Key}, {ordered[i].Server} started {ordered[i].StartedAt} before {before.Server}'s execution ended ({ended})");
            }
        }
    }

    static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    static async Task<List<Execution>> Executions(TestDatabase database)
    {
        await using var connection = TestDatabase.Connection(new Uri(database.Url));
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT resource_id, server, started_at, ended_at FROM simulated_executions WHERE operation = 'create'", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<Execution>();
        while (await reader.ReadAsync())
            rows.Add(new Execution(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }
}
