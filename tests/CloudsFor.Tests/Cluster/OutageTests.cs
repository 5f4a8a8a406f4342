using CloudsFor.Tests.Images;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Cluster;

/// <summary>
/// PostgreSQL stopped under a running server (a restart, a network cut): requests are answered at once with a 503 that
/// says to retry, never left hanging, and the server comes back by itself when the database does; background work
/// whose result cannot be written meanwhile waits for it. The test runs its own
/// cluster, since it stops it.
/// </summary>
[Trait("Store", "postgres")]
public sealed class OutageTests
{
    [Fact]
    public async Task While_the_database_is_down_requests_get_503_with_Retry_After_and_the_server_recovers_when_it_is_back()
    {
        using var cluster = await PostgresCluster.Start();
        using var database = await TestDatabase.Create(cluster.Url);
        using var server = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(server);
        var before = await Vms.CreateActive(user.Api, "before");

        await cluster.Stop();
        var read = (await user.Api.Get($"/vms/{before.GetProperty("id").GetString()}")).ExpectError(503, "service_unavailable");
        Assert.Equal("5", read.Header("Retry-After"));
        (await user.Api.Post("/vms", new { name = "during", size = Vms.SmallSize, image = Vms.TinyImage })).ExpectError(503, "service_unavailable");

        await cluster.Resume();
        await Poll.Until(() => user.Api.Get("/vms"), r => r.Status == 200, "the server answering again");
        // As a client does on a 503: the same POST again, with its Idempotency-Key, until accepted. On a loaded machine the
        // first write after the outage may still wait past the connect timeout for its new connection (a 503 too).
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "after-" + Formats.RandomId() };
        var accepted = await Poll.Until(() => user.Api.Post("/vms", new { name = "after", size = Vms.SmallSize, image = Vms.TinyImage }, key),
            r => r.Status != 503, "the create accepted after the outage");
        var vmId = accepted.Expect(202)["vm"].GetProperty("id").GetString()!;
        var created = await Vms.WaitForAction(user.Api, accepted["links"].GetProperty("actions")[0].GetProperty("id").GetString()!);
        Assert.Equal("completed", created.Status());
        var after = await Vms.Get(user.Api, vmId);
        var names = (await user.Api.Get("/vms")).Expect(200)["vms"].EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Equal(["before", "after"], names);
        Assert.Equal("active", after.GetProperty("status").GetString());
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task An_image_import_that_finishes_while_the_database_is_down_waits_and_becomes_available_once_it_is_back()
    {
        using var cluster = await PostgresCluster.Start();
        using var database = await TestDatabase.Create(cluster.Url);
        using var images = await ImageFiles.Make();
        using var files = new FileServer();
        using var server = await ServerProcess.StartOnDatabase(database, ImportServer.Settings);
        var user = await TestAccounts.Create(server);
        var release = new TaskCompletionSource();
        files.ServeHeld("/held.qcow2", File.ReadAllBytes(images.Qcow2), release.Task);
        var id = (await user.Api.Post("/images", new { name = "held", url = files.Url("/held.qcow2") })).Expect(202)["image"].Str("id");
        await Poll.Until(() => Task.FromResult(files.HitsOf("/held.qcow2")), hits => hits == 1, "the download under way");

        await cluster.Stop();
        release.SetResult();
        // The disk is converted, but the image's row cannot say so: the import waits for the store instead of taking
        // that as its failure (which deleted the converted disk and left the image new for good).
        await Poll.Until(() => Task.FromResult(server.Output), log => log.Contains("the import of an image waits for the store", StringComparison.Ordinal),
            "the import waiting for the store");
        var disk = Path.Combine(server.DataDir, "images", id, "disk.qcow2");
        Assert.True(File.Exists(disk));

        await cluster.Resume();
        var image = await Poll.Until(() => user.Api.Get($"/images/{id}"), r => r.Status == 200 && r["image"].Str("status") != "new", "the image settled");
        Assert.Equal("available", image["image"].Str("status"));
        Assert.True(File.Exists(disk));
    }
}
