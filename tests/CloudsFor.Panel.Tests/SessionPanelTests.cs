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
}
