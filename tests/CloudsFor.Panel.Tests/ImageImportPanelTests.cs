using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Images;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>The panel's server for image import: it may download from 127.0.0.1, where the tests' file server is.</summary>
public sealed class ImportPanelFixture : PanelFixture
{
    protected override string[] ServerSettings => ImportServer.Settings;
}

/// <summary>
/// Importing an image in the browser: a URL refused under its field, a download that fails shown errored with its
/// reason, and a file uploaded from this computer that becomes available, each status seen live.
/// </summary>
public sealed class ImageImportPanelTests(ImportPanelFixture panel) : IClassFixture<ImportPanelFixture>, IDisposable
{
    readonly FileServer files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task An_image_is_imported_from_a_url_and_from_a_file_and_its_status_follows_live()
    {
        using var images = await ImageFiles.Make();
        files.Serve("/blank.img", new byte[65536]); // no partition table: the check refuses it
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Images" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Import an image" });

        await form.GetByLabel("Image URL").FillAsync("ftp://127.0.0.1/disk.qcow2");
        await form.GetByLabel("Name").FillAsync("from-ftp");
        await form.GetByRole(AriaRole.Button, new() { Name = "Import image" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=url]")).ToHaveTextAsync("must be an http or https URL");
        await Expect(form.GetByLabel("Image URL")).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "import form with a field error");

        await form.GetByLabel("Image URL").FillAsync(files.Url("/blank.img"));
        await form.GetByLabel("Name").FillAsync("blank");
        await form.GetByLabel("Distribution").FillAsync("Nothing");
        await form.GetByRole(AriaRole.Button, new() { Name = "Import image" }).ClickAsync();
        var blank = page.Locator("tbody tr", new() { HasText = "blank" });
        await Expect(blank.Locator(".badge")).ToHaveTextAsync("errored");
        var blankId = (await user.Api.Get("/images?type=custom")).Expect(200)["images"].Ids().Single();
        var reason = (await user.Api.Get($"/images/{blankId}")).Expect(200)["image"].Str("error_message");
        await Expect(blank.Locator(".image-error")).ToHaveTextAsync(reason);

        await form.GetByLabel("From a file on this computer").CheckAsync();
        await Expect(form.GetByLabel("Image URL")).ToBeHiddenAsync();
        await form.GetByLabel("Image file").SetInputFilesAsync(images.Qcow2);
        await Expect(form.GetByLabel("Name")).ToHaveValueAsync("small");
        await form.GetByLabel("Description").FillAsync("uploaded from the panel");
        await form.GetByRole(AriaRole.Button, new() { Name = "Import image" }).ClickAsync();
        await Expect(form.Locator(".banner.info")).ToContainTextAsync("Image small is being imported");
        await Expect(form.Locator(".upload-progress")).ToContainTextAsync("Sent: the server checks the file now.");
        var small = page.Locator("tbody tr", new() { HasText = "uploaded from the panel" });
        await Expect(small.Locator(".badge")).ToHaveTextAsync("available");
        await Accessibility.AssertNoSeriousViolations(page, "images page after imports");
        await Screenshots.Save(page, "image-import-light");

        var uploaded = (await user.Api.Get("/images?type=custom")).Expect(200)["images"].EnumerateArray().Single(i => i.Str("name") == "small");
        Assert.Equal(("available", "uploaded from the panel"), (uploaded.Str("status"), uploaded.Str("description")));
    }

    [Theory]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task The_import_form_has_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/images");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Import an image" });
        await Expect(form.GetByLabel("Image URL")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"import by URL ({scheme}, phone: {phone})");
        await form.GetByLabel("From a file on this computer").CheckAsync();
        await Expect(form.GetByLabel("Image file")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"import from a file ({scheme}, phone: {phone})");
    }
}
