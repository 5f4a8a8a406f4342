using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Cluster;

/// <summary>
/// PostgreSQL ends the server's sessions while it runs (an administrator's pg_terminate_backend, a restarted pooler, a
/// failover): the connections the server keeps open for reads fail at their next statement, and each such read runs
/// again on a new session, so no client hears of sessions that were already gone.
/// </summary>
[Trait("Store", "postgres")]
public sealed class EndedSessionTests
{
    [Fact]
    public async Task Reads_after_the_database_ended_the_servers_sessions_are_answered_from_new_sessions()
    {
        using var database = await TestDatabase.Create();
        using var server = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0");
        var user = await TestAccounts.Create(server);
        var id = (await Vms.CreateActive(user.Api, "kept")).Str("id");
        // Reads at once leave several connections kept open for the next ones.
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.Api.Get($"/vms/{id}"))), r => r.Expect(200));

        await database.EndSessions();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.Api.Get($"/vms/{id}")));
        Assert.All(answers, r => Assert.Equal("kept", r.Expect(200)["vm"].Str("name")));
        Assert.Equal(1, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }
}
