using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Panel;

/// <summary>
/// Browser sessions of the control panel over HTTP: the cookie's flags, the anti-forgery header and own-origin rule on
/// cookie requests (Basic auth untouched), sign-out, the secret absent from the store, and sign-in throttling.
/// </summary>
public sealed class SessionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Sign_in_sets_an_HttpOnly_Secure_SameSite_Strict_cookie_that_authenticates_the_API()
    {
        var user = await TestAccounts.Create(Server);
        var session = await BrowserSession.Start(Server, user.Username, user.Password);
        var cookie = session.SignIn.Header("Set-Cookie")!.ToLowerInvariant();
        Assert.StartsWith("cloudsfor_session=", cookie);
        Assert.Contains("; httponly", cookie);
        Assert.Contains("; secure", cookie);
        Assert.Contains("; samesite=strict", cookie);
        Assert.Contains("; path=/", cookie);
        Assert.Equal("/api/v1/sessions/current", session.SignIn.Header("Location"));
        var shown = session.SignIn["session"];
        Assert.Equal(user.Username, shown.GetProperty("username").GetString());
        Assert.Equal(64, session.CsrfToken.Length);

        var current = (await session.Get("/sessions/current")).Expect(200)["session"];
        Assert.Equal(shown.GetProperty("id").GetString(), current.GetProperty("id").GetString());
        Assert.Equal(session.CsrfToken, current.GetProperty("csrf_token").GetString());
        Assert.Equal(user.Username, (await session.Get("/account")).Expect(200)["account"].GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_wrong_password_is_a_401_and_a_missing_field_a_422_naming_it()
    {
        var user = await TestAccounts.Create(Server);
        var wrong = (await Server.Anonymous.Post("/sessions", new { username = user.Username, password = "not-it" })).ExpectError(401, "unauthorized");
        Assert.Null(wrong.Header("Set-Cookie"));
        var missing = (await Server.Anonymous.Post("/sessions", new { username = user.Username })).ExpectError(422, "unprocessable_entity");
        Assert.Equal(["password"], missing.ErrorFields());
    }

    [Fact]
    public async Task A_change_with_the_cookie_needs_the_sessions_anti_forgery_token()
    {
        var user = await TestAccounts.Create(Server);
        var session = await BrowserSession.Start(Server, user.Username, user.Password);
        var body = new { name = "panel", scopes = new[] { "read" } };

        var without = (await Server.Anonymous.Post("/tokens", body, session.Headers(csrf: false))).ExpectError(403, "forbidden");
        Assert.Contains("X-CSRF-Token", without.Message);
        (await Server.Anonymous.Post("/tokens", body, session.Headers(csrf: false, ("X-CSRF-Token", new string('0', 64))))).ExpectError(403, "forbidden");
        Assert.Equal(0, (await session.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());

        (await Server.Anonymous.Post("/tokens", body, session.Headers())).Expect(201);
    }

    [Fact]
    public async Task Cookie_requests_from_another_origin_are_refused_and_Basic_requests_are_not()
    {
        var user = await TestAccounts.Create(Server);
        var session = await BrowserSession.Start(Server, user.Username, user.Password);
        var body = new { name = "panel", scopes = new[] { "read" } };

        var foreign = (await Server.Anonymous.Post("/tokens", body, session.Headers(more: ("Origin", "https://evil.example")))).ExpectError(403, "forbidden");
        Assert.Contains("origin", foreign.Message);
        (await Server.Anonymous.Get("/account", session.Headers(csrf: false, ("Sec-Fetch-Site", "cross-site")))).ExpectError(403, "forbidden");
        (await Server.Anonymous.Post("/sessions", new { username = user.Username, password = user.Password },
            new Dictionary<string, string> { ["Origin"] = "https://evil.example" })).ExpectError(403, "forbidden");

        (await Server.Anonymous.Post("/tokens", body, session.Headers(more: [("Origin", Server.Origin), ("Sec-Fetch-Site", "same-origin")]))).Expect(201);
        (await user.Api.Post("/tokens", body, new Dictionary<string, string> { ["Origin"] = "https://evil.example" })).Expect(201);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server_and_clears_the_cookie()
    {
        var user = await TestAccounts.Create(Server);
        var session = await BrowserSession.Start(Server, user.Username, user.Password);
        (await Server.Anonymous.Delete("/sessions/current", session.Headers(csrf: false))).ExpectError(403, "forbidden");

        var signedOut = (await Server.Anonymous.Delete("/sessions/current", session.Headers())).Expect(204);
        Assert.Contains("cloudsfor_session=;", signedOut.Header("Set-Cookie"));
        Assert.Contains("expires=Thu, 01 Jan 1970", signedOut.Header("Set-Cookie"));
        (await session.Get("/account")).ExpectError(401, "unauthorized");
        (await session.Get("/sessions/current")).ExpectError(401, "unauthorized");
        // Basic credentials have no session to show or end.
        (await user.Api.Get("/sessions/current")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Neither_the_cookie_secret_nor_the_anti_forgery_token_reaches_the_store()
    {
        var user = await TestAccounts.Create(Server);
        var session = await BrowserSession.Start(Server, user.Username, user.Password);
        (await session.Get("/account")).Expect(200);
        var store = StoreFiles.Bytes(Server);
        Assert.True(store.AsSpan().IndexOf(Encoding.UTF8.GetBytes(session.SignIn["session"].GetProperty("id").GetString()!)) >= 0, "the session is stored");
        Assert.True(store.AsSpan().IndexOf(Encoding.UTF8.GetBytes(session.Secret)) < 0, "the cookie's secret is in the store");
        Assert.True(store.AsSpan().IndexOf(Encoding.UTF8.GetBytes(session.CsrfToken)) < 0, "the anti-forgery token is in the store");
    }

    [Fact]
    public async Task The_panel_is_served_at_the_root_with_its_security_headers_compressed_and_API_404s_stay_JSON()
    {
        // A domain's page ends in what looks like a file extension; it is the panel's all the same.
        foreach (var path in new[] { "/", "/vms/0123456789abcdef0123456789abcdef", "/domains/example.com" })
        {
            var page = (await Server.Anonymous.Get(Server.Origin + path, new Dictionary<string, string> { ["Accept-Encoding"] = "br" })).Expect(200);
            Assert.Equal("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                page.Header("Content-Security-Policy"));
            Assert.Equal("nosniff", page.Header("X-Content-Type-Options"));
            Assert.Equal("no-referrer", page.Header("Referrer-Policy"));
            Assert.Equal("br", page.Header("Content-Encoding"));
            Assert.StartsWith("text/html", page.Header("Content-Type"));
            Assert.NotNull(page.Header("ETag"));
        }
        var script = (await Server.Anonymous.Get(Server.Origin + "/js/main.js", new Dictionary<string, string> { ["Accept-Encoding"] = "gzip" })).Expect(200);
        Assert.Equal("gzip", script.Header("Content-Encoding"));
        Assert.StartsWith("text/javascript", script.Header("Content-Type"));
        (await Server.Anonymous.Get(Server.Origin + "/js/main.js", new Dictionary<string, string> { ["If-None-Match"] = script.Header("ETag")! })).Expect(304);
        (await Server.Anonymous.Get(Server.Origin + "/js/missing.js")).Expect(404);
        (await Server.Anonymous.Get(Server.Origin + "/robots.txt")).ExpectError(404, "not_found");
        (await Server.Anonymous.Get("/no-such-thing")).ExpectError(404, "not_found");
    }
}
