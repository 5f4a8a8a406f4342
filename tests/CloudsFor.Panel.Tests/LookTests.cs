using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Every page built so far, light and dark and at a phone's width: no serious or critical axe-core violation. The light
/// and dark desktop views are saved as screenshots into docs/panel/ (the README shows them).
/// </summary>
public sealed class LookTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task Pages_have_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = (await user.Api.Post("/vms", new { name = "db-1", size = "s-2vcpu-4gb", image = "debian-12", tags = new[] { "prod" } })).Expect(202)["vm"];
        (await user.Api.Post("/vms", new { names = new[] { "web-1", "web-2" }, size = "s-1vcpu-1gb", image = "tiny", tags = new[] { "web" } })).Expect(202);
        var page = await panel.NewPage(scheme, phone);
        var shot = phone ? null : scheme == ColorScheme.Dark ? "dark" : "light";

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"sign-in ({scheme})");
        await Save(page, "signin", shot);

        await PanelFixture.SignIn(page, user.Username, user.Password);
        await Expect(page.Locator("tbody tr .badge", new() { HasText = "new" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(page, $"VM list ({scheme})");
        await Save(page, "vms", shot);

        await page.GetByRole(AriaRole.Link, new() { Name = "db-1" }).ClickAsync();
        await Expect(page.Locator(".live-status .badge")).ToHaveTextAsync("active");
        await Expect(page.Locator(".console")).Not.ToHaveTextAsync("…");
        await Accessibility.AssertNoSeriousViolations(page, $"VM page ({scheme})");
        await Save(page, "vm", shot);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rename…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"rename dialog ({scheme})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GotoAsync("/vms/new");
        await Expect(page.GetByLabel("Name(s)")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"create form ({scheme})");
        await Save(page, "create", shot);

        foreach (var (path, heading) in new[] { ("/actions", "Actions"), ("/images", "Images"), ("/account", "Account") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
            await Accessibility.AssertNoSeriousViolations(page, $"{heading} ({scheme})");
        }
        Assert.NotNull(vm.GetProperty("id").GetString());
    }

    static Task Save(IPage page, string name, string? scheme) => scheme is null ? Task.CompletedTask : Screenshots.Save(page, $"{name}-{scheme}");
}
