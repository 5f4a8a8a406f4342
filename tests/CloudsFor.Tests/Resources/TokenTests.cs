using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>/tokens: the secret is shown once at creation and never again; name is the only thing a PUT changes.</summary>
public sealed class TokenTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Create_answers_201_with_location_and_the_secret_once()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Post("/tokens", new { name = "ci", scopes = new[] { "read", "write" } })).Expect(201);
        var token = r["token"];
        Formats.AssertId(token.GetProperty("id"));
        Assert.Equal("ci", token.Str("name"));
        Assert.Equal(["read", "write"], token.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Order());
        Formats.AssertTime(token.GetProperty("created_at"));
        Assert.StartsWith("cf_", token.Str("token"));
        Assert.Equal($"/api/v1/tokens/{token.Str("id")}", LocationPath(r));

        var again = (await user.Api.Get($"/tokens/{token.Str("id")}")).Expect(200)["token"];
        Assert.False(again.TryGetProperty("token", out _), "GET shows the secret again");
        var listed = (await user.Api.Get("/tokens")).Expect(200)["tokens"];
        Assert.All(listed.EnumerateArray(), t => Assert.False(t.TryGetProperty("token", out _), "the list shows a secret"));
        Assert.DoesNotContain(token.Str("token"), (await user.Api.Get("/tokens")).Text);
    }

    [Fact]
    public async Task Put_renames_and_is_idempotent()
    {
        var user = await TestAccounts.Create(Server);
        var (id, _) = await TestAccounts.CreateToken(user.Api, ["read"], "old");
        var first = (await user.Api.Put($"/tokens/{id}", new { name = "new" })).Expect(200);
        var second = (await user.Api.Put($"/tokens/{id}", new { name = "new" })).Expect(200);
        Assert.Equal("new", first["token"].Str("name"));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal("new", (await user.Api.Get($"/tokens/{id}")).Expect(200)["token"].Str("name"));
    }

    [Fact]
    public async Task Put_cannot_change_the_scopes()
    {
        var user = await TestAccounts.Create(Server);
        var (id, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var r = await user.Api.Put($"/tokens/{id}", new { scopes = new[] { "read", "write" } });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("scopes", r.ErrorFields());
        Assert.Equal(["read"], (await user.Api.Get($"/tokens/{id}")).Expect(200)["token"].GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Delete_is_204_with_no_body_then_404()
    {
        var user = await TestAccounts.Create(Server);
        var (id, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var r = (await user.Api.Delete($"/tokens/{id}")).Expect(204);
        Assert.Equal("", r.Text);
        (await user.Api.Get($"/tokens/{id}")).ExpectError(404, "not_found");
        (await user.Api.Delete($"/tokens/{id}")).ExpectError(404, "not_found");
        (await user.Api.Put($"/tokens/{id}", new { name = "x" })).ExpectError(404, "not_found");
    }

    [Theory]
    [InlineData("{\"name\":\"t\",\"scopes\":[]}", "scopes")]
    [InlineData("{\"name\":\"t\"}", "scopes")]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"root\"]}", "scopes")]
    [InlineData("{\"name\":\"t\",\"scopes\":\"read\"}", "scopes")]
    [InlineData("{\"scopes\":[\"read\"]}", "name")]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"read\"],\"expires_in_seconds\":\"soon\"}", "expires_in_seconds")]
    public async Task Invalid_tokens_are_422_naming_the_field(string body, string field)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
    }

    [Fact]
    public async Task Only_admins_may_create_admin_tokens()
    {
        var user = await TestAccounts.Create(Server);
        var refused = await user.Api.Post("/tokens", new { name = "t", scopes = new[] { "read", "admin" } });
        refused.ExpectError(422, "unprocessable_entity");
        Assert.Contains("scopes", refused.ErrorFields());

        var (_, secret) = await TestAccounts.CreateToken(Server.Admin, ["read", "write", "admin"]);
        (await ApiClient.Bearer(Server, secret).Get("/users")).Expect(200);
    }

    [Fact]
    public async Task Tokens_list_only_the_callers_own()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var (aliceToken, _) = await TestAccounts.CreateToken(alice.Api, ["read"]);
        var (bobToken, _) = await TestAccounts.CreateToken(bob.Api, ["read"]);
        var listed = (await alice.Api.Get("/tokens")).Expect(200)["tokens"].Ids();
        Assert.Contains(aliceToken, listed);
        Assert.DoesNotContain(bobToken, listed);
    }

    [Fact]
    public async Task Tokens_created_with_a_token_belong_to_the_same_user()
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        var (childId, _) = await TestAccounts.CreateToken(ApiClient.Bearer(Server, secret), ["read"]);
        (await user.Api.Get($"/tokens/{childId}")).Expect(200);
    }

    static string? LocationPath(ApiResponse r)
    {
        var location = r.Header("Location");
        if (location is null)
            return null;
        return Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri.AbsolutePath : location;
    }
}
