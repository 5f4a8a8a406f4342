using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// Idempotency-Key on POST: a retry with the same body replays the first answer (saying so in Idempotent-Replayed);
/// another body is a 409. A token's secret is shown once, so its replay leaves it out and says why; nothing secret
/// rests in the store.
/// </summary>
public sealed class IdempotencyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_answer_and_creates_nothing_new()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "once", size = Vms.SmallSize, image = Vms.TinyImage };
        var first = (await user.Api.Post("/vms", body, Key("key-1"))).Expect(202);
        Assert.Null(first.Header("Idempotent-Replayed"));
        var retry = (await user.Api.Post("/vms", body, Key("key-1"))).Expect(202);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(1, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_replayed_token_creation_answers_the_same_token_without_its_secret_and_says_why()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "once", scopes = new[] { "read" } };
        var first = (await user.Api.Post("/tokens", body, Key("key-1"))).Expect(201);
        var secret = first["token"].Str("token");
        Assert.StartsWith("cf_", secret);

        var retry = (await user.Api.Post("/tokens", body, Key("key-1"))).Expect(201);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.Header("Location"), retry.Header("Location"));
        Assert.Equal(first["token"].Str("id"), retry["token"].Str("id"));
        Assert.Equal(first["token"].Str("created_at"), retry["token"].Str("created_at"));
        Assert.Equal(JsonValueKind.Null, retry["token"].GetProperty("token").ValueKind);
        Assert.Contains("The secret is shown only in the first answer", retry.Message);
        Assert.DoesNotContain(secret, retry.Text);
        Assert.Equal(1, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
        // The first answer's secret still works.
        (await ApiClient.Bearer(Server, secret).Get("/account")).Expect(200);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_409_and_creates_nothing()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/tokens", new { name = "first", scopes = new[] { "read" } }, Key("key-2"))).Expect(201);
        (await user.Api.Post("/tokens", new { name = "second", scopes = new[] { "read" } }, Key("key-2"))).ExpectError(409, "conflict");
        Assert.Equal(1, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Different_keys_are_different_requests()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "same", scopes = new[] { "read" } };
        var a = (await user.Api.Post("/tokens", body, Key("key-a"))).Expect(201);
        var b = (await user.Api.Post("/tokens", body, Key("key-b"))).Expect(201);
        Assert.NotEqual(a["token"].Str("id"), b["token"].Str("id"));
    }

    [Fact]
    public async Task Another_account_using_the_same_key_gets_its_own_answer_not_a_replay()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var body = new { name = "shared-key", scopes = new[] { "read" } };
        var fromAlice = (await alice.Api.Post("/tokens", body, Key("common-key"))).Expect(201);
        var fromBob = (await bob.Api.Post("/tokens", body, Key("common-key"))).Expect(201);
        Assert.NotEqual(fromAlice["token"].Str("id"), fromBob["token"].Str("id"));
        Assert.NotEqual(fromAlice["token"].Str("token"), fromBob["token"].Str("token"));
        (await bob.Api.Get($"/tokens/{fromBob["token"].Str("id")}")).Expect(200);
    }

    [Fact]
    public async Task A_vm_create_retried_with_its_key_makes_one_vm()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "idem-vm", size = Vms.SmallSize, image = Vms.TinyImage };
        var first = (await user.Api.Post("/vms", body, Key("vm-key"))).Expect(202);
        var retry = (await user.Api.Post("/vms", body, Key("vm-key"))).Expect(202);
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(1, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_still_make_one_object_and_show_its_secret_once()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "racing", scopes = new[] { "read" } };
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => user.Api.Post("/tokens", body, Key("race-key"))));
        foreach (var answer in answers)
            answer.Expect(201);
        Assert.Single(answers.Select(a => a["token"].Str("id")).Distinct());
        Assert.Single(answers, a => a["token"].GetProperty("token").ValueKind == JsonValueKind.String);
        Assert.Equal(5, answers.Count(a => a.Header("Idempotent-Replayed") == "true"));
        Assert.Equal(1, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task No_secret_and_no_fast_hash_of_one_rests_in_the_store()
    {
        using var server = await ServerProcess.StartAsync(SharedServer.Settings);
        var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var username = TestAccounts.UniqueName();
        var userBody = $$"""{"username": "{{username}}", "password": "{{password}}", "email": "{{username}}@example.test"}""";
        (await server.Admin.SendContent(HttpMethod.Post, "/users", Json(userBody), Key("user-key"))).Expect(201);
        (await server.Admin.SendContent(HttpMethod.Post, "/users", Json(userBody), Key("user-key"))).Expect(201);
        var user = ApiClient.Basic(server, username, password);
        var tokenBody = """{"name": "scanned", "scopes": ["read", "write"]}""";
        var secret = (await user.SendContent(HttpMethod.Post, "/tokens", Json(tokenBody), Key("token-key"))).Expect(201)["token"].Str("token");
        (await user.SendContent(HttpMethod.Post, "/tokens", Json(tokenBody), Key("token-key"))).Expect(201);
        (await ApiClient.Bearer(server, secret).Get("/account")).Expect(200);

        var store = StoreFiles.Bytes(server);
        var forbidden = new Dictionary<string, string>
        {
            ["the token secret"] = secret,
            ["the token secret's SHA-256"] = Sha256Hex(secret),
            ["the password"] = password,
            ["the password's SHA-256"] = Sha256Hex(password),
            ["the SHA-256 of the user request"] = Sha256Hex("/api/v1/users\0" + userBody),
            ["the SHA-256 of the token request"] = Sha256Hex("/api/v1/tokens\0" + tokenBody),
            ["the user's Basic credentials"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")),
        };
        foreach (var (what, value) in forbidden)
        {
            Assert.False(Contains(store, Encoding.UTF8.GetBytes(value)), $"{what} is in the store");
            Assert.False(Contains(store, Encoding.UTF8.GetBytes(value.ToUpperInvariant())), $"{what} is in the store (upper case)");
        }
        // Found: the scan reads what the server wrote (the username of the new user is there).
        Assert.True(Contains(store, Encoding.UTF8.GetBytes(username)));
    }

    static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Fact]
    public async Task A_refused_request_is_replayed_as_refused()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "bad", scopes = Array.Empty<string>() };
        var first = await user.Api.Post("/tokens", body, Key("bad-key"));
        first.ExpectError(422, "unprocessable_entity");
        var retry = await user.Api.Post("/tokens", body, Key("bad-key"));
        Assert.Equal(422, retry.Status);
        Assert.Equal(first.ErrorFields(), retry.ErrorFields());
    }
}
