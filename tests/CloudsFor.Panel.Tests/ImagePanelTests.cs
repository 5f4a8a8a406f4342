using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>Images in the browser: the account's own snapshot renamed and deleted; distributions offer neither.</summary>
public sealed class ImagePanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task An_own_snapshot_is_renamed_and_deleted_from_the_page_and_distributions_have_no_such_buttons()
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = await Vms.CreateActive(user.Api);
        await Vms.RunCompleted(user.Api, vm.Str("id"), new { type = "snapshot", name = "before-upgrade" });
        var imageId = (await user.Api.Get("/images?type=snapshot")).Expect(200)["images"].Ids().Single();
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Images" }).ClickAsync();

        var distribution = page.Locator("tbody tr", new() { HasText = "distribution" }).First;
        await Expect(distribution).ToBeVisibleAsync();
        await Expect(distribution.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rename before-upgrade" }).ClickAsync();
        var rename = page.GetByRole(AriaRole.Dialog, new() { Name = "Rename image" });
        await rename.GetByLabel("New name").FillAsync("");
        await rename.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();
        await Expect(rename.Locator("[data-error-for=name]")).ToHaveTextAsync("must not be empty");
        await Accessibility.AssertNoSeriousViolations(page, "rename image dialog with a field error");
        await rename.GetByLabel("New name").FillAsync("known-good");
        await rename.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "known-good" });
        await Expect(row).ToContainTextAsync("snapshot");
        Assert.Equal("known-good", (await user.Api.Get($"/images/{imageId}")).Expect(200)["image"].Str("name"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete known-good" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete image" });
        await Expect(confirm).ToContainTextAsync("known-good");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        (await user.Api.Get($"/images/{imageId}")).ExpectError(404, "not_found");
        await Accessibility.AssertNoSeriousViolations(page, "images page");
    }
}
