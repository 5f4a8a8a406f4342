using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>Basic with a password, Bearer with a token, a token as the Basic password; anything else is a 401.</summary>
public sealed class AuthenticationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Basic_with_the_password_is_the_user()
    {
        var user = await TestAccounts.Create(Server);
        var account = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal(user.Username, account.Str("username"));
        Assert.Equal(user.Id, account.Str("uuid"));
    }

    [Fact]
    public async Task Bearer_token_is_the_user_of_the_token()
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        Assert.StartsWith("cf_", secret);
        var account = (await ApiClient.Bearer(Server, secret).Get("/account")).Expect(200)["account"];
        Assert.Equal(user.Username, account.Str("username"));
    }

    [Theory]
    [InlineData("anyone")]
    [InlineData("")]
    [InlineData("admin")]
    public async Task A_token_works_as_the_basic_password_whatever_the_username(string username)
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var account = (await ApiClient.Basic(Server, username, secret).Get("/account")).Expect(200)["account"];
        Assert.Equal(user.Username, account.Str("username"));
    }

    [Fact]
    public async Task Missing_credentials_are_401_with_a_challenge()
    {
        var r = (await Server.Anonymous.Get("/vms")).ExpectError(401, "unauthorized");
        Assert.Contains("Basic", r.Header("WWW-Authenticate"));
        Assert.Contains("Bearer", r.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_are_both_401()
    {
        var user = await TestAccounts.Create(Server);
        (await ApiClient.Basic(Server, user.Username, user.Password + "x").Get("/account")).ExpectError(401, "unauthorized");
        (await ApiClient.Basic(Server, "nobody" + user.Username, user.Password).Get("/account")).ExpectError(401, "unauthorized");
        (await ApiClient.Basic(Server, user.Username, "").Get("/account")).ExpectError(401, "unauthorized");
    }

    [Theory]
    [InlineData("Bearer cf_0000000000000000000000000000000000000000")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Digest username=\"admin\"")]
    [InlineData("Basic")]
    [InlineData("Bearer")]
    public async Task Bad_authorization_headers_are_401_never_a_server_error(string header)
    {
        var api = ApiClient.WithHeader(Server, header);
        (await api.Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task Basic_without_a_colon_is_401()
    {
        (await ApiClient.WithHeader(Server, "Basic " + Base64("admin")).Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task A_password_for_another_user_does_not_log_in_as_that_user()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        (await ApiClient.Basic(Server, alice.Username, bob.Password).Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task A_deleted_token_stops_working_at_once()
    {
        var user = await TestAccounts.Create(Server);
        var (id, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var api = ApiClient.Bearer(Server, secret);
        (await api.Get("/account")).Expect(200);
        (await user.Api.Delete($"/tokens/{id}")).Expect(204);
        (await api.Get("/account")).ExpectError(401, "unauthorized");
        (await ApiClient.Basic(Server, "x", secret).Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task A_token_can_delete_itself_and_is_gone_after()
    {
        var user = await TestAccounts.Create(Server);
        var (id, secret) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        var api = ApiClient.Bearer(Server, secret);
        (await api.Delete($"/tokens/{id}")).Expect(204);
        (await api.Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task An_expiring_token_says_when_and_works_until_then()
    {
        var user = await TestAccounts.Create(Server);
        var created = (await user.Api.Post("/tokens", new { name = "short", scopes = new[] { "read" }, expires_in_seconds = 60 })).Expect(201)["token"];
        var createdAt = Formats.Time(created.GetProperty("created_at"));
        var expiresAt = Formats.Time(created.GetProperty("expires_at"));
        Assert.InRange((expiresAt - createdAt).TotalSeconds, 59, 61);
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(2));
        (await ApiClient.Bearer(Server, created.Str("token")).Get("/account")).Expect(200);
    }

    [Fact]
    public async Task A_token_without_expiry_has_a_null_expires_at()
    {
        var user = await TestAccounts.Create(Server);
        var created = (await user.Api.Post("/tokens", new { name = "forever", scopes = new[] { "read" } })).Expect(201)["token"];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("expires_at").ValueKind);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(0)]
    [InlineData(31536001)]
    public async Task Expiry_outside_one_minute_to_one_year_is_422(int seconds)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", new { name = "t", scopes = new[] { "read" }, expires_in_seconds = seconds });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("expires_in_seconds", r.ErrorFields());
    }

    [Fact]
    public async Task Expiry_of_exactly_one_year_is_allowed()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/tokens", new { name = "t", scopes = new[] { "read" }, expires_in_seconds = 31536000 })).Expect(201);
    }

    [Fact]
    public async Task A_deleted_users_password_and_tokens_stop_working()
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        (await user.Api.Get("/account")).Expect(200);
        (await Server.Admin.Delete($"/users/{user.Id}")).Expect(204);
        (await user.Api.Get("/account")).ExpectError(401, "unauthorized");
        (await ApiClient.Bearer(Server, secret).Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task The_openapi_document_needs_no_credentials_but_everything_else_does()
    {
        (await Server.Anonymous.Get("/openapi.json")).Expect(200);
        foreach (var path in new[] { "/account", "/vms", "/regions", "/sizes", "/images", "/actions", "/tokens", "/users" })
            (await Server.Anonymous.Get(path)).ExpectError(401, "unauthorized");
    }
}
