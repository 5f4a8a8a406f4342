using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>Tokens in the browser: the secret shown once and working, gone after a reload, renamed, refused once revoked.</summary>
public sealed class TokenPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task A_token_created_in_the_panel_works_its_secret_is_shown_once_and_revoking_it_ends_it()
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Tokens" }).ClickAsync();

        await page.GetByLabel("Name").FillAsync("backup script");
        await page.GetByLabel("write").CheckAsync();
        await page.GetByLabel("Expires after (days)").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var box = page.Locator(".secret-box");
        await Expect(box).ToContainTextAsync("It will not be shown again.");
        var secret = await page.Locator("#token-secret").TextContentAsync() ?? "";
        Assert.NotEqual("", secret);
        await box.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(box.GetByRole(AriaRole.Status)).ToHaveTextAsync("Copied.");
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        var row = page.Locator("tbody tr", new() { HasText = "backup script" });
        await Expect(row).ToContainTextAsync("read, write");
        await Accessibility.AssertNoSeriousViolations(page, "tokens page with a new secret");

        var asToken = ApiClient.Bearer(panel.Server, secret);
        (await asToken.Get("/account")).Expect(200);

        await page.ReloadAsync();
        await Expect(row).ToBeVisibleAsync();
        await Expect(box).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke backup script" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke token" });
        await Expect(dialog).ToContainTextAsync("backup script");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.GetByText("No API tokens yet.")).ToBeVisibleAsync();
        (await asToken.Get("/account")).ExpectError(401, "unauthorized");
    }

    [Fact]
    public async Task An_empty_name_is_shown_next_to_the_name_field_and_creates_nothing()
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var name = page.GetByLabel("Name");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("[data-error-for=name]")).ToHaveTextAsync("must not be empty");
        await Expect(name).ToBeFocusedAsync();
        await Expect(page.Locator(".secret-box")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(page, "tokens page with a field error");
        Assert.Equal(0, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_token_is_renamed_in_a_dialog_that_keeps_an_empty_names_error_under_its_field()
    {
        var user = await TestAccounts.Create(panel.Server);
        var (id, _) = await TestAccounts.CreateToken(user.Api, ["read"], "ci runner");
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rename ci runner" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rename token" });
        await dialog.GetByLabel("New name").FillAsync("");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();
        await Expect(dialog.Locator("[data-error-for=name]")).ToHaveTextAsync("must not be empty");
        await Expect(dialog.GetByLabel("New name")).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "rename token dialog with a field error");
        Assert.Equal("ci runner", (await user.Api.Get($"/tokens/{id}")).Expect(200)["token"].Str("name"));

        await dialog.GetByLabel("New name").FillAsync("deploy bot");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("tbody tr", new() { HasText = "deploy bot" })).ToContainTextAsync("read");
        Assert.Equal("deploy bot", (await user.Api.Get($"/tokens/{id}")).Expect(200)["token"].Str("name"));
    }
}
