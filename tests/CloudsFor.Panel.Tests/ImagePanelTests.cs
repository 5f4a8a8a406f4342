using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>Images in the browser: the account's own snapshot edited (name and description) and deleted; distributions offer neither.</summary>
public sealed class ImagePanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task An_own_snapshot_is_edited_and_deleted_from_the_page_and_distributions_have_no_such_buttons()
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

        await Expect(page.Locator("tbody tr", new() { HasText = "Tiny Linux" })).ToContainTextAsync("Busybox guest for tests and demos");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit before-upgrade" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit image" });
        await edit.GetByLabel("Name").FillAsync("");
        await edit.GetByLabel("Description").FillAsync("taken before the upgrade");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit.Locator("[data-error-for=name]")).ToHaveTextAsync("must not be empty");
        await Accessibility.AssertNoSeriousViolations(page, "edit image dialog with a field error");
        await edit.GetByLabel("Name").FillAsync("known-good");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "known-good" });
        await Expect(row).ToContainTextAsync("snapshot");
        await Expect(row.Locator(".image-description")).ToHaveTextAsync("taken before the upgrade");
        var image = (await user.Api.Get($"/images/{imageId}")).Expect(200)["image"];
        Assert.Equal(("known-good", "taken before the upgrade"), (image.Str("name"), image.Str("description")));

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete known-good" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete image" });
        await Expect(confirm).ToContainTextAsync("known-good");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        (await user.Api.Get($"/images/{imageId}")).ExpectError(404, "not_found");
        await Accessibility.AssertNoSeriousViolations(page, "images page");
    }
}
