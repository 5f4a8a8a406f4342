using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Cluster;

/// <summary>
/// More requests at once than the server has database connections: they wait their turn for one and are all answered.
/// A 503 says the store cannot be reached; a busy pool is not that (a loaded CI run once got 503s from this).
/// </summary>
[Trait("Store", "postgres")]
public sealed class PoolTests
{
    [Fact]
    public async Task Forty_eight_requests_at_once_on_a_pool_of_three_connections_are_all_answered()
    {
        using var database = (await TestDatabase.Create()).WithPoolSize(3);
        using var server = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.Create(user.Api, "pooled");

        var answers = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => (i % 4) switch
        {
            0 => user.Api.Get("/vms"),
            1 => user.Api.Get($"/vms/{vm.Id}"),
            2 => user.Api.Get("/account"),
            _ => user.Api.Post("/vms", new { name = $"burst-{i}", size = Vms.SmallSize, image = Vms.TinyImage }),
        }));

        Assert.All(answers.Where((_, i) => i % 4 != 3), a => a.Expect(200));
        Assert.All(answers.Where((_, i) => i % 4 == 3), a => a.Expect(202));
        Assert.Equal(13, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }
}
