using System.Net;
using CloudsFor.Tests.Infrastructure;
using DnsClient;
using Npgsql;

namespace CloudsFor.Tests.Cluster;

/// <summary>
/// Several `cloudsfor serve` processes on one PostgreSQL database, as an operator runs them behind a load balancer:
/// what one accepts, the others show at once, and a retry sent to another server is recognised. Only in the
/// PostgreSQL run of the suite (they need the cluster of CLOUDSFOR_TEST_POSTGRES).
/// </summary>
[Trait("Store", "postgres")]
public sealed class SeveralServersTests
{
    [Fact]
    public async Task A_VM_created_through_one_server_is_read_changed_and_deleted_through_another_at_once()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0-20");
        using var b = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(a);
        var onB = ApiClient.Basic(b, user.Username, user.Password);

        var created = await Vms.Create(user.Api, "shared-1");
        var seen = (await onB.Get($"/vms/{created.Id}")).Expect(200)["vm"];
        Assert.Equal("shared-1", seen.GetProperty("name").GetString());
        Assert.Equal(1, (await onB.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());

        await Vms.WaitForAction(onB, created.CreateActionId);
        Assert.Equal("shared-1", (await user.Api.Get("/vms")).Expect(200)["vms"][0].GetProperty("name").GetString());
        Assert.Equal("active", (await Vms.Get(user.Api, created.Id)).GetProperty("status").GetString());
        var rename = (await onB.Post($"/vms/{created.Id}/actions", new { type = "rename", name = "shared-2" })).Expect(201)["action"];
        // A showed the VM before (and keeps its rendering): the change made through B shows through A as soon as it is done.
        await Vms.WaitForAction(onB, rename.GetProperty("id").GetString()!);
        Assert.Equal("shared-2", (await Vms.Get(user.Api, created.Id)).GetProperty("name").GetString());
        Assert.Equal("shared-2", (await user.Api.Get("/vms")).Expect(200)["vms"][0].GetProperty("name").GetString());

        (await onB.Delete($"/vms/{created.Id}")).Expect(204);
        (await user.Api.Get($"/vms/{created.Id}")).ExpectError(404, "not_found");
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_event_stream_open_on_one_server_shows_what_another_server_accepted()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0-20");
        using var b = await ServerProcess.StartOnDatabase(database, "--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(a);
        using var stream = await EventStream.Open(ApiClient.Basic(b, user.Username, user.Password), "?resource_type=vm");

        var created = await Vms.Create(user.Api, "streamed");

        var first = await stream.NextEvent();
        Assert.Equal("vm.created", first.Event);
        Assert.Equal(created.Id, first.Json.GetProperty("resource_id").GetString());
    }

    [Fact]
    public async Task A_retried_POST_sent_to_another_server_is_replayed_not_done_twice()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database);
        using var b = await ServerProcess.StartOnDatabase(database);
        var user = await TestAccounts.Create(a);
        var onB = ApiClient.Basic(b, user.Username, user.Password);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "retry-" + Formats.RandomId() };
        var body = new { name = "once", size = Vms.SmallSize, image = Vms.TinyImage };

        var first = (await user.Api.Post("/vms", body, key)).Expect(202);
        var retried = (await onB.Post("/vms", body, key)).Expect(202);

        Assert.Equal("true", retried.Header("Idempotent-Replayed"));
        Assert.Equal(first["vm"].GetProperty("id").GetString(), retried["vm"].GetProperty("id").GetString());
        Assert.Equal(1, (await onB.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_token_deleted_through_one_server_is_refused_by_the_other_once_its_remembered_check_is_over()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database);
        using var b = await ServerProcess.StartOnDatabase(database);
        var user = await TestAccounts.Create(a);
        var (tokenId, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var tokenOnB = ApiClient.Bearer(b, secret);
        // B verifies the token and remembers it.
        (await tokenOnB.Get("/account")).Expect(200);

        (await user.Api.Delete($"/tokens/{tokenId}")).Expect(204);
        var deleted = DateTimeOffset.UtcNow;
        // The documented bound: a server remembers a verified credential for 5 s (Authentication.RememberFor). Once that
        // has passed since the delete, B must refuse it: one request, no retries.
        var bound = deleted + TimeSpan.FromSeconds(5.2);
        if (bound > DateTimeOffset.UtcNow)
            await Task.Delay(bound - DateTimeOffset.UtcNow);
        (await tokenOnB.Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task A_record_added_through_one_server_is_answered_by_every_servers_DNS()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database);
        using var b = await ServerProcess.StartOnDatabase(database);
        using var c = await ServerProcess.StartOnDatabase(database);
        var user = await TestAccounts.Create(a);
        var domain = TestAccounts.UniqueName("cluster") + ".example";
        (await user.Api.Post("/domains", new { name = domain })).Expect(201);
        (await user.Api.Post($"/domains/{domain}/records", new { type = "A", name = "www", data = "192.0.2.44", ttl = 60 })).Expect(201);

        foreach (var server in new[] { a, b, c })
        {
            var dns = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, server.DnsPort)) { UseCache = false, Retries = 0 });
            var answer = await Poll.Until(() => dns.QueryAsync("www." + domain, QueryType.A), r => r.Answers.ARecords().Any(), $"www.{domain} on the DNS of the server on port {server.Port}");
            Assert.Equal(IPAddress.Parse("192.0.2.44"), Assert.Single(answer.Answers.ARecords()).Address);
        }
    }

    [Fact]
    public async Task Two_servers_starting_at_once_on_an_empty_database_both_serve_and_the_schema_is_applied_once()
    {
        using var database = await TestDatabase.Create();
        var starting = new[] { ServerProcess.StartOnDatabase(database), ServerProcess.StartOnDatabase(database) };
        var servers = await Task.WhenAll(starting);
        try
        {
            // The first to create the store's admin set its password; the other's was ignored (and said so).
            var password = (await servers[0].Admin.Get("/account")).Status == 200 ? servers[0].AdminPassword : servers[1].AdminPassword;
            foreach (var server in servers)
                (await ApiClient.Basic(server, "admin", password).Get("/account")).Expect(200);
            await using var connection = TestDatabase.Connection(new Uri(database.Url));
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations", connection);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) > 0);
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
        finally
        {
            foreach (var server in servers)
                server.Dispose();
        }
    }

    [Fact]
    public async Task A_callers_budget_is_shared_by_the_servers()
    {
        using var database = await TestDatabase.Create();
        using var a = await ServerProcess.StartOnDatabase(database, "--rate-per-minute", "10");
        using var b = await ServerProcess.StartOnDatabase(database, "--rate-per-minute", "10");
        // The admin creates the user: the user's own budget is untouched.
        var user = await TestAccounts.Create(a);
        var onB = ApiClient.Basic(b, user.Username, user.Password);
        Assert.Equal("9", (await onB.Get("/account")).Expect(200).Header("RateLimit-Remaining"));
        for (var i = 0; i < 5; i++)
            (await user.Api.Get("/account")).Expect(200);
        // Both servers have reported (every second, table rate_usage); then B has read A's count within the next second.
        await Poll.Until(() => ReportedUses(database, user.Id), total => total == 6, "both servers' counts reported");
        await Task.Delay(TimeSpan.FromSeconds(3));

        // 10 in the minute across both: 1 on B and 5 on A so far, so B lets 4 more through.
        for (var remaining = 3; remaining >= 0; remaining--)
            Assert.Equal(remaining.ToString(), (await onB.Get("/account")).Expect(200).Header("RateLimit-Remaining"));
        (await onB.Get("/account")).ExpectError(429, "too_many_requests");
    }

    static async Task<long> ReportedUses(TestDatabase database, string userId)
    {
        await using var connection = TestDatabase.Connection(new Uri(database.Url));
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT COALESCE(SUM(used), 0)::bigint FROM rate_usage WHERE caller = @caller AND kind = 'minute'", connection);
        query.Parameters.AddWithValue("caller", userId);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}
