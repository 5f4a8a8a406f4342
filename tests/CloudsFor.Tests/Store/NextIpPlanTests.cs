using System.Text.Json;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Tests.Infrastructure;
using Npgsql;

namespace CloudsFor.Tests.Store;

/// <summary>
/// Every create asks the region's next free address (VmsSql.NextIpHost), and PostgreSQL keeps the plan of a prepared
/// statement: the plan it makes while the store is new must still be one step down the index once the region holds
/// thousands of VMs, not a pass over all of them.
/// </summary>
[Trait("Store", "postgres")]
public sealed class NextIpPlanTests
{
    const int Vms = 3_000;

    [Fact]
    public async Task The_plan_made_on_a_new_store_still_reads_a_few_pages_once_the_region_is_full()
    {
        using var database = await TestDatabase.Create();
        using var db = new Db(new PostgresEngine(DatabaseUrl.Parse(database.Url)));
        db.Engine.Migrate(db);

        await using var session = TestDatabase.Connection(new Uri(database.Url));
        await session.OpenAsync();
        await Execute(session, $"PREPARE next_ip(text) AS {VmsSql.NextIpHostQuery.Replace("@region", "$1", StringComparison.Ordinal)}");
        // PostgreSQL plans the first five executions for their values, then keeps one plan for any value if it costs no
        // more: on a new store, before any statistics, as the server's writer connection does.
        for (var i = 0; i < 8; i++)
            Assert.Equal(2L, await Scalar(session, "EXECUTE next_ip('fra1')"));

        await db.Write(async (c, t) =>
        {
            for (var host = 2; host < Vms + 2; host++)
                await VmsSql.Insert(c, t, new VmRow
                {
                    Id = Guid.NewGuid().ToString("N"), AccountId = "account", Name = $"vm-{host}", Status = VmStatus.Active, SizeSlug = "s",
                    Memory = 512, Vcpus = 1, Disk = 10, RegionSlug = "fra1", ImageId = "image", IpHost = host, CreatedAt = Clock.Stored(DateTimeOffset.UtcNow),
                });
        });

        Assert.Equal(Vms + 2L, await Scalar(session, "EXECUTE next_ip('fra1')"));
        var plan = JsonDocument.Parse((string)(await Scalar(session, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE next_ip('fra1')"))!)
            .RootElement[0].GetProperty("Plan");
        var pages = plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();
        // The index's root, a leaf and the row's page; a pass over the region's 3,000 VMs reads well over a hundred.
        Assert.InRange(pages, 1, 10);
    }

    static async Task Execute(NpgsqlConnection c, string sql)
    {
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<object?> Scalar(NpgsqlConnection c, string sql)
    {
        await using var command = new NpgsqlCommand(sql, c);
        return await command.ExecuteScalarAsync();
    }
}
