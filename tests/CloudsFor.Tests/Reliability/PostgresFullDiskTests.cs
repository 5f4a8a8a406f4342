using CloudsFor.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// PostgreSQL with its data files on a disk that fills up: the test's database lives in a tablespace on a small tmpfs of
/// its own (the cluster's log stays on its disk, as a database server with a separate data volume has it). PostgreSQL
/// refuses a write that needs a new page with 53100; the server answers it as it answers SQLite's full disk: 503 with
/// Retry-After, reads going on, and every write accepted before and after the disk filled kept.
/// A full log disk is another matter: PostgreSQL stops and restarts itself, which the server meets as an outage
/// (Cluster/OutageTests).
/// </summary>
[Trait("Store", "postgres")]
public sealed class PostgresFullDiskTests(ITestOutputHelper output) : IDisposable
{
    readonly TempFolder folder = new("cloudsfor-pgdisk-");
    readonly string tablespace = "cf_full_" + Formats.RandomId().ToLowerInvariant();
    TestDatabase? database;
    ServerProcess? server;
    string? mounted;
    bool tablespaceMade;

    [Fact]
    public async Task A_full_data_disk_refuses_writes_with_503_keeps_reads_and_every_accepted_write_and_recovers_by_itself()
    {
        var cluster = TestDatabase.Cluster ?? throw new InvalidOperationException("CLOUDSFOR_TEST_POSTGRES is not set: this test runs in the PostgreSQL run of ./test.sh");
        mounted = await MountSmallDiskFor(cluster);
        await Run(cluster, $"CREATE TABLESPACE {tablespace} LOCATION '{mounted}'");
        tablespaceMade = true;
        database = await TestDatabase.Create(cluster, tablespace);
        server = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server);
        var accepted = new List<string>();
        for (var i = 0; i < 5; i++)
            accepted.Add((await Vms.CreateActive(user.Api)).Str("id"));

        var filler = Path.Combine(mounted, "filler");
        output.WriteLine($"filled the disk with {FailingDiskTests.Fill(filler)} bytes");

        // Pages PostgreSQL already has keep taking rows until one needs a new page: creates are accepted until then.
        ApiResponse? refused = null;
        for (var i = 0; i < 2000 && refused is null; i++)
        {
            var answer = await user.Api.Post("/vms", new { name = $"on-full-{i}", size = Vms.SmallSize, image = Vms.TinyImage });
            if (answer.Status == 202)
                accepted.Add(answer["vm"].Str("id"));
            else
                refused = answer;
        }
        Assert.NotNull(refused);
        output.WriteLine($"{accepted.Count - 5} creates accepted on the full disk before the first refusal");
        Assert.Equal("30", refused.ExpectError(503, "service_unavailable").Header("Retry-After"));
        // The page it needed is still not there: the next create is refused the same way, and nothing was half-written.
        Assert.Equal("30", (await user.Api.Post("/vms", new { name = "refused-again", size = Vms.SmallSize, image = Vms.TinyImage }))
            .ExpectError(503, "service_unavailable").Header("Retry-After"));

        var listed = (await ReliabilityKit.All(user.Api, "/vms", "vms")).Select(v => v.Str("id")).ToHashSet();
        Assert.Equal(accepted.ToHashSet(), listed);
        (await user.Api.Get($"/vms/{accepted[0]}")).Expect(200);

        // A new session writes the relation cache file (pg_internal.init) when the catalogs changed since the last one did,
        // and on the full disk it cannot: PostgreSQL ends the session FATAL with an internal error, not 53100. Deleting
        // the file (as a catalog change does) and ending the server's sessions makes every connection it opens from now
        // on meet that: the writes are still refused as the full disk they are, never answered 500, and the worker's
        // retries of the accepted creates meet it too (they used to end errored).
        foreach (var cacheFile in Directory.GetFiles(mounted, "pg_internal.init", SearchOption.AllDirectories))
            File.Delete(cacheFile);
        // The deleted file's room is taken again, or the next session would write it there.
        var secondFiller = Path.Combine(mounted, "filler-2");
        FailingDiskTests.Fill(secondFiller);
        await database.EndSessions();
        ApiResponse reconnecting;
        var attempts = 0;
        do
        {
            reconnecting = await user.Api.Post("/vms", new { name = "on-new-session", size = Vms.SmallSize, image = Vms.TinyImage });
            reconnecting.ExpectError(503, "service_unavailable");
        }
        while (reconnecting.Header("Retry-After") != "30" && ++attempts < 20);
        Assert.Equal("30", reconnecting.Header("Retry-After"));
        Assert.Contains("disk is full", reconnecting.Message);

        File.Delete(filler);
        File.Delete(secondFiller);
        // The same server, not restarted: its next write finds room again, and the worker finishes every create it accepted.
        var created = await Poll.Until(() => user.Api.Post("/vms", new { name = Vms.UniqueName(), size = Vms.SmallSize, image = Vms.TinyImage }),
            r => r.Status != 503, "a write after the disk has room again");
        accepted.Add(created.Expect(202)["vm"].Str("id"));
        (await user.Api.Put($"/vms/{accepted[1]}", new { name = "renamed" })).Expect(200);
        foreach (var id in accepted)
            await Poll.Until(() => Vms.Get(user.Api, id), vm => vm.Status() == "active", $"VM {id} active");

        server.Kill();
        var stored = await Column(database, "SELECT id FROM vms");
        Assert.Equal(accepted.Order(), stored.Order());
        await AssertIndexesSound(database);
    }

    /// <summary>A 32 MiB tmpfs owned by the user PostgreSQL runs as (a tablespace's folder must be), reachable through the test's folder.</summary>
    async Task<string> MountSmallDiskFor(Uri cluster)
    {
        var dataDirectory = (await Scalar(cluster, "SELECT current_setting('data_directory')"))!;
        var (statCode, owner) = await Tools.Run("stat", "-c", "%u:%g", dataDirectory);
        Assert.True(statCode == 0, $"stat {dataDirectory}: {owner}");
        var ids = owner.Trim().Split(':');
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_101_101);
        var path = Path.Combine(folder.Path, "space");
        Directory.CreateDirectory(path);
        var (code, text) = await Tools.Run("mount", "-t", "tmpfs", "-o", $"size=32m,mode=0700,uid={ids[0]},gid={ids[1]}", "tmpfs", path);
        Assert.True(code == 0, $"mount: {text}");
        return path;
    }

    /// <summary>PostgreSQL's own check of every B-tree index against its table (amcheck, shipped with the server).</summary>
    static async Task AssertIndexesSound(TestDatabase database)
    {
        await using var connection = TestDatabase.Connection(new Uri(database.Url));
        await connection.OpenAsync();
        await using (var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS amcheck", connection))
            await extension.ExecuteNonQueryAsync();
        await using var check = new NpgsqlCommand("""
            SELECT count(bt_index_check(index => c.oid, heapallindexed => true))
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE am.amname = 'btree' AND n.nspname = 'public'
            """, connection);
        Assert.True((long)(await check.ExecuteScalarAsync())! > 0, "no index was checked");
    }

    static async Task<List<string>> Column(TestDatabase database, string sql)
    {
        await using var connection = TestDatabase.Connection(new Uri(database.Url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    static async Task<string?> Scalar(Uri cluster, string sql)
    {
        await using var connection = TestDatabase.Connection(cluster);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    static Task Run(Uri cluster, string sql) => Scalar(cluster, sql);

    public void Dispose()
    {
        server?.Dispose();
        database?.Dispose();
        if (tablespaceMade && TestDatabase.Cluster is { } cluster)
            Run(cluster, $"DROP TABLESPACE IF EXISTS {tablespace}").GetAwaiter().GetResult();
        if (mounted is not null)
            Tools.Run("umount", "--lazy", mounted).GetAwaiter().GetResult();
        folder.Dispose();
    }
}
