using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>Signing in and out in the browser: the session ends on the server, wrong passwords and locks are explained.</summary>
public sealed class SessionPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task Sign_out_ends_the_session_so_the_old_cookie_is_refused_by_the_API()
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "cloudsfor_session");
        Assert.True(cookie.HttpOnly && cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        var asBrowser = new Dictionary<string, string> { ["Cookie"] = $"cloudsfor_session={cookie.Value}" };
        (await panel.Server.Anonymous.Get("/account", asBrowser)).Expect(200);
        // The page's script cannot read the cookie.
        Assert.DoesNotContain("cloudsfor_session", await page.EvaluateAsync<string>("document.cookie"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        (await panel.Server.Anonymous.Get("/account", asBrowser)).ExpectError(401, "unauthorized");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_explained_and_a_locked_username_says_for_how_long()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-50", "--signin-failures-per-user", "2");
        var user = await TestAccounts.Create(server);
        var context = await panel.Browser.NewContextAsync(new() { BaseURL = server.Origin, IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await page.GetByLabel("Username").FillAsync(user.Username);
            await page.GetByLabel("Password").FillAsync("wrong-" + attempt);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            var alert = page.GetByRole(AriaRole.Alert);
            await Expect(alert).ToContainTextAsync(attempt < 2 ? "The username or password is wrong." : "It is locked for now: try again in 15 minutes.");
            await Expect(alert).ToContainTextAsync("Request id:");
        }
        await context.CloseAsync();
    }

    /// <summary>
    /// A page of another origin, signed in at the panel in the same browser, posts a form and a fetch with the cookie.
    /// At https://127.0.0.1:OTHER (same site, other origin) the browser sends the SameSite=Strict cookie and the
    /// server's origin check answers 403; at https://localhost:OTHER (another site) the cookie is not sent at all (401).
    /// Either way nothing is created. The pages are served by the test itself through Playwright's routing: no server
    /// listens at those origins, and the requests to the panel's origin go to the real server.
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", false)]
    public async Task A_page_of_another_origin_cannot_create_anything_with_the_session_cookie(string host, bool sameSite)
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        var tokensBefore = (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32();
        var elsewhere = $"https://{host}:{(panel.Server.Port == 65535 ? 1 : panel.Server.Port + 1)}";
        // Chromium asks the user before a page lets a script reach a loopback address; granted here as if the user
        // agreed, so that the server's own checks are what is tested.
        await page.Context.GrantPermissionsAsync(["local-network-access"], new() { Origin = elsewhere });
        await page.Context.RouteAsync(elsewhere + "/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = AttackPage(panel.Server.Origin) }));
        var answers = new List<IResponse>();
        page.Context.Response += (_, r) => { if (r.Url.StartsWith(panel.Server.Origin + "/api/v1/", StringComparison.Ordinal)) lock (answers) answers.Add(r); };

        var fetched = page.WaitForResponseAsync(r => r.Url == panel.Server.Origin + "/api/v1/vms" && r.Request.Method == "POST");
        var posted = page.WaitForResponseAsync(r => r.Url == panel.Server.Origin + "/api/v1/tokens" && r.Request.Method == "POST");
        // The script sends the fetch, then submits the form, which navigates to the server's answer.
        await page.GotoAsync(elsewhere + "/prize.html");
        var fetch = await fetched;
        var form = await posted;

        foreach (var answer in new[] { fetch, form })
        {
            var sent = await answer.Request.AllHeadersAsync();
            Assert.Equal(sameSite, sent.TryGetValue("cookie", out var cookie) && cookie.Contains("cloudsfor_session=", StringComparison.Ordinal));
            Assert.Equal(sameSite ? 403 : 401, answer.Status);
        }
        // The 403's body is the page the form navigated to. (A 401 asks for Basic credentials, which a headless browser
        // gives up on: no page to read then.)
        if (sameSite)
            await Expect(page.Locator("body")).ToContainTextAsync("accepted only from the panel's own origin");

        Assert.Equal(tokensBefore, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
        lock (answers)
            Assert.DoesNotContain(answers, r => r.Status is >= 200 and < 300 && r.Request.Method == "POST");
    }

    // A form with enctype text/plain whose body is JSON, and a no-cors fetch: the two requests a page elsewhere can send
    // without a CORS preflight, which the server never approves.
    static string AttackPage(string target) => $$"""
        <!doctype html><html lang="en"><title>You won</title>
        <form id="f" method="post" action="{{target}}/api/v1/tokens" enctype="text/plain">
          <input type="hidden" name='{"name":"stolen","scopes":["read","write"],"pad":"' value='"}'>
        </form>
        <script>
          fetch('{{target}}/api/v1/vms', { method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ name: 'stolen', size: 's-1vcpu-512mb', image: 'tiny' }) })
            .finally(() => document.getElementById('f').submit());
        </script>
        """;
}
