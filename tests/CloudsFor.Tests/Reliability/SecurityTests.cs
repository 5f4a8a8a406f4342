using System.Security.Cryptography;
using System.Text;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>Alice's objects on a server of this class's own, so its log holds only what these tests did.</summary>
public sealed class SecurityServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public TestUser Alice { get; private set; } = null!;
    public string VmId { get; private set; } = "";
    public string ActionId { get; private set; } = "";
    public string SnapshotId { get; private set; } = "";
    public string TokenId { get; private set; } = "";
    public string TokenSecret { get; private set; } = "";
    public string Domain { get; private set; } = "";
    public string RecordId { get; private set; } = "";
    public string KeyId { get; private set; } = "";
    public string VolumeId { get; private set; } = "";
    public string VolumeSnapshotId { get; private set; } = "";
    /// <summary>A custom image of Alice's waiting for its bytes: the one PUT /images/{id}/file would fill.</summary>
    public string UploadImageId { get; private set; } = "";
    public IReadOnlyList<(string Method, string Path)> Routes { get; private set; } = [];

    /// <summary>Operations documented with no security (sign-in): they take no credentials, so a caller's scopes do not apply.</summary>
    public IReadOnlySet<(string Method, string Path)> Public { get; private set; } = new HashSet<(string, string)>();

    public async Task InitializeAsync()
    {
        // All these tests come from one address: its sign-in limit would lock them out of each other's way (PasswordGuessingTests covers it).
        Server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000",
            "--signin-failures-per-address", "0");
        Alice = await TestAccounts.Create(Server);
        VmId = (await Vms.CreateActive(Alice.Api, tags: ["alice"])).Str("id");
        ActionId = (await Vms.RunAction(Alice.Api, VmId, new { type = "snapshot", name = "alice-snap" })).Str("id");
        SnapshotId = (await Alice.Api.Get($"/vms/{VmId}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        (TokenId, TokenSecret) = await TestAccounts.CreateToken(Alice.Api, ["read", "write"], "alice-token");
        Domain = await Domains.Create(Alice.Api, ipAddress: "192.0.2.10");
        RecordId = (await Domains.AddRecord(Alice.Api, Domain, new { type = "TXT", name = "alice", data = "alice-text" })).Str("id");
        KeyId = (await Alice.Api.Post("/account/keys", new { name = "alice-key", public_key = Resources.VmSshKeyTests.Ed25519 })).Expect(201)["ssh_key"].Str("id");
        VolumeId = (await VolumeKit.CreateAvailable(Alice.Api, "alice-volume")).Str("id");
        VolumeSnapshotId = (await Snapshots.SnapshotKit.CreateAvailable(Alice.Api, VolumeId, "alice-volume-snap")).Str("id");
        UploadImageId = (await Alice.Api.Post("/images", new { name = "alice-upload" })).Expect(202)["image"].Str("id");
        var doc = (await Server.Anonymous.Get("/openapi.json")).Expect(200).Json;
        Routes = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete")
                .Select(o => (o.Name.ToUpperInvariant(), p.Name)))
            .ToList();
        Public = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(o => o.Value.ValueKind == System.Text.Json.JsonValueKind.Object && o.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 0)
                .Select(o => (o.Name.ToUpperInvariant(), p.Name)))
            .ToHashSet();
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// For every route of the OpenAPI document: another account's object is a 404 that changes nothing,
/// a read token never writes; expired, deleted and orphaned credentials are 401 at once; no answer or
/// log line carries a password or token secret; a wrong password is answered alike for a user that exists
/// and one that does not.
/// </summary>
public sealed class SecurityTests(SecurityServer data, ITestOutputHelper output) : IClassFixture<SecurityServer>
{
    ServerProcess Server => data.Server;

    /// <summary>The route with Alice's objects in its parameters, and a body that would be valid, so only ownership can refuse it.</summary>
    (string Path, object? Body)? Aimed(string method, string template)
    {
        var segments = template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
                continue;
            segments[i] = segments[i - 1] switch
            {
                "vms" => data.VmId,
                "actions" => data.ActionId,
                "images" when template.EndsWith("/file") => data.UploadImageId,
                "images" => data.SnapshotId,
                "tokens" => data.TokenId,
                "users" => data.Alice.Id,
                "domains" => data.Domain,
                "records" => data.RecordId,
                "keys" => data.KeyId,
                "tags" => "alice",
                "volumes" => data.VolumeId,
                "snapshots" => data.VolumeSnapshotId,
                _ => "",
            };
            if (segments[i].Length == 0)
                return null; // a public catalog object (region, size) or a kind this test does not know yet
        }
        object? body = method switch
        {
            "POST" when template.StartsWith("/volumes") && template.EndsWith("/actions") => new { type = "resize", size_gigabytes = 100 },
            "PUT" when template.EndsWith("/file") => Images.ImageImportTests.Octets(new byte[4096]),
            "POST" when template.EndsWith("/actions") => new { type = "power_off" },
            "POST" or "DELETE" when template.EndsWith("/resources") => new { resources = new[] { new { resource_id = data.VmId, resource_type = "vm" } } },
            "POST" or "PUT" when template.Contains("/records") => new { type = "TXT", name = "stolen", data = "stolen" },
            "POST" or "PUT" => new { name = "stolen" },
            _ => null,
        };
        return (string.Join('/', segments), body);
    }

    /// <summary>An image's bytes go as they are (application/octet-stream); every other body as JSON.</summary>
    static Task<ApiResponse> Send(ApiClient client, string method, string path, object? body) =>
        body is HttpContent content ? client.SendContent(new HttpMethod(method), path, content) : client.Send(new HttpMethod(method), path, body);

    [Fact]
    public async Task Every_route_answers_another_accounts_object_with_404_and_changes_nothing()
    {
        var bob = await TestAccounts.Create(Server);
        var records = $"/domains/{data.Domain}/records?per_page=200";
        var before = await ReliabilityKit.StateOf(data.Alice.Api, records);
        var tried = 0;
        foreach (var (method, template) in data.Routes.Where(r => r.Path.Contains('{')))
        {
            if (Aimed(method, template) is not var (path, body))
            {
                output.WriteLine($"not aimed (no object of Alice's fits): {method} {template}");
                continue;
            }
            var r = await Send(bob.Api, method, path, body);
            tried++;
            // Operator routes refuse every non-operator alike, whatever the id.
            if (template.StartsWith("/users"))
                r.ExpectError(403, "forbidden");
            else
                Assert.True(r.Status == 404, $"{method} {path} as Bob: {r}");
        }
        Assert.True(tried >= 10, $"only {tried} routes tried");
        ReliabilityKit.AssertSameState(before, await ReliabilityKit.StateOf(data.Alice.Api, records));
    }

    [Fact]
    public async Task A_read_token_never_writes_on_any_route()
    {
        var (_, secret) = await TestAccounts.CreateToken(data.Alice.Api, ["read"]);
        var reader = ApiClient.Bearer(Server, secret);
        var records = $"/domains/{data.Domain}/records?per_page=200";
        var before = await ReliabilityKit.StateOf(data.Alice.Api, records);
        foreach (var (method, template) in data.Routes.Where(r => r.Method is "POST" or "PUT" or "DELETE" && !data.Public.Contains(r)))
        {
            var (path, body) = Aimed(method, template) ?? (template.Replace("{", "x").Replace("}", ""), (object?)new { name = "x" });
            if (template is "/vms/actions" || (template == "/vms" && method == "DELETE"))
                path += "?tag_name=alice";
            (await Send(reader, method, path, body)).ExpectError(403, "forbidden");
        }
        ReliabilityKit.AssertSameState(before, await ReliabilityKit.StateOf(data.Alice.Api, records));
    }

    [Fact]
    public async Task A_deleted_token_is_401_at_once_even_right_after_it_was_used()
    {
        var (id, secret) = await TestAccounts.CreateToken(data.Alice.Api, ["read", "write"]);
        var holder = ApiClient.Bearer(Server, secret);
        var asPassword = ApiClient.Basic(Server, data.Alice.Username, secret);
        (await holder.Get("/account")).Expect(200);
        (await asPassword.Get("/account")).Expect(200);
        (await data.Alice.Api.Delete($"/tokens/{id}")).Expect(204);
        (await holder.Get("/account")).ExpectError(401, "unauthorized");
        (await asPassword.Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task An_expired_token_is_401_and_a_token_stops_working_the_moment_it_expires()
    {
        // The API's shortest expiry is a minute; the test moves expiry times in the store instead of waiting.
        var (expiredId, expired) = await TestAccounts.CreateToken(data.Alice.Api, ["read"]);
        SetExpiry(expiredId, DateTimeOffset.UtcNow.AddSeconds(-1));
        (await ApiClient.Bearer(Server, expired).Get("/account")).ExpectError(401, "unauthorized");

        var (soonId, soon) = await TestAccounts.CreateToken(data.Alice.Api, ["read"]);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        SetExpiry(soonId, expiresAt);
        var holder = ApiClient.Bearer(Server, soon);
        (await holder.Get("/account")).Expect(200); // now verified, and remembered
        await Poll.Until(() => holder.Get("/account"), r => r.Status == 401, "the token expiring");
        Assert.True(DateTimeOffset.UtcNow >= expiresAt, "the token stopped working before it expired");
    }

    [Fact]
    public async Task A_deleted_users_password_and_tokens_are_401_at_once()
    {
        var carol = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(carol.Api, ["read"]);
        (await carol.Api.Get("/account")).Expect(200);
        (await ApiClient.Bearer(Server, secret).Get("/account")).Expect(200);
        (await Server.Admin.Delete($"/users/{carol.Id}")).Expect(204);
        (await carol.Api.Get("/account")).ExpectError(401, "unauthorized");
        (await ApiClient.Bearer(Server, secret).Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task No_answer_and_no_log_line_carries_a_password_or_token_secret()
    {
        var dave = await TestAccounts.Create(Server);
        var (tokenId, secret) = await TestAccounts.CreateToken(dave.Api, ["read", "write"]);
        var secrets = new[] { dave.Password, secret, Server.AdminPassword, data.Alice.Password, data.TokenSecret };
        var hashOfSecret = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var answers = new List<ApiResponse>
        {
            await dave.Api.Get($"/tokens/{tokenId}"), await dave.Api.Get("/tokens"), await dave.Api.Get("/account"),
            await Server.Admin.Get($"/users/{dave.Id}"), await Server.Admin.Get("/users?per_page=200"),
            await ApiClient.Basic(Server, dave.Username, dave.Password + "x").Get("/account"),
            await ApiClient.Basic(Server, "nobody-" + dave.Username, dave.Password).Get("/account"),
            await ApiClient.Bearer(Server, secret + "x").Get("/account"),
            await ApiClient.Bearer(Server, secret).Put($"/tokens/{tokenId}", new { name = "renamed" }),
            await Server.Admin.Post("/users", new { username = "x" + dave.Username, password = "short", email = "bad" }),
        };
        // A request that puts a secret into a field or the query may see that field quoted back in its own answer,
        // but in nothing else; the log must not show it at all.
        var echoing = new List<ApiResponse>
        {
            await ApiClient.Bearer(Server, secret).Post("/vms", "{\"name\": \"" + secret + "\"}"),
            await ApiClient.Bearer(Server, secret).Post("/tokens", new { name = secret, scopes = new[] { "admin" } }),
            await ApiClient.Bearer(Server, secret).Get("/vms?tag_name=" + secret),
        };
        foreach (var (answer, shown) in answers.Select(a => (a, secrets)).Concat(echoing.Select(a => (a, secrets.Where(s => s != secret).ToArray()))))
        {
            var text = answer.Text + string.Join("\n", answer.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value)));
            foreach (var s in shown)
                Assert.False(text.Contains(s, StringComparison.Ordinal), $"an answer shows a secret: {answer}");
            Assert.DoesNotContain(hashOfSecret, text);
            Assert.DoesNotContain("pbkdf2", text, StringComparison.OrdinalIgnoreCase);
        }
        var log = Server.Output;
        foreach (var s in secrets)
            Assert.False(log.Contains(s, StringComparison.Ordinal), "the server log shows a password or token secret");
        Assert.DoesNotContain(hashOfSecret, log);
    }

    /// <summary>
    /// Nothing in the answer tells a wrong password for a real user from any password for an unknown one. That both
    /// cost one slow hash (the unknown user's against a decoy) is a figure of time: bench/password-timing.sh shows it.
    /// </summary>
    [Fact]
    public async Task A_wrong_password_gets_the_same_answer_for_a_user_that_exists_and_one_that_does_not()
    {
        var erin = await TestAccounts.Create(Server);
        var existing = (await ApiClient.Basic(Server, erin.Username, "wrong-password-1").Get("/account")).ExpectError(401, "unauthorized");
        var missing = (await ApiClient.Basic(Server, "no-such-" + erin.Username, "wrong-password-1").Get("/account")).ExpectError(401, "unauthorized");
        Assert.Equal(existing.Message, missing.Message);
        Assert.Equal(existing.Header("WWW-Authenticate"), missing.Header("WWW-Authenticate"));
        Assert.Equal(Names(existing), Names(missing));
    }

    /// <summary>The JSON body's property names and the header names: a leak would add or drop one.</summary>
    static string Names(ApiResponse r) =>
        string.Join(",", r.Json.EnumerateObject().Select(p => p.Name)) + " | " + string.Join(",", r.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase));

    void SetExpiry(string tokenId, DateTimeOffset at) =>
        Assert.Equal(1, StoreSql.Execute(Server, "UPDATE tokens SET expires_at = @at WHERE id = @id", ("at", CloudsFor.Model.Clock.Stored(at)), ("id", tokenId)));
}
