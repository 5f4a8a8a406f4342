using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>Idempotency-Key on POST: a retry with the same body replays the first answer; another body is a 409.</summary>
public sealed class IdempotencyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_answer_and_creates_nothing_new()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "once", scopes = new[] { "read" } };
        var first = (await user.Api.Post("/tokens", body, Key("key-1"))).Expect(201);
        var retry = (await user.Api.Post("/tokens", body, Key("key-1"))).Expect(201);
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(first.Header("Location"), retry.Header("Location"));
        Assert.Equal(1, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
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
    public async Task Concurrent_retries_with_one_key_still_make_one_object()
    {
        var user = await TestAccounts.Create(Server);
        var body = new { name = "racing", scopes = new[] { "read" } };
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => user.Api.Post("/tokens", body, Key("race-key"))));
        foreach (var answer in answers)
            answer.Expect(201);
        Assert.Single(answers.Select(a => a.Text).Distinct());
        Assert.Equal(1, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

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
