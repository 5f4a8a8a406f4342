using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>Volumes in the browser: created (a bad name refused under its field), attached to a VM, grown, detached, deleted, all seen live.</summary>
public sealed class VolumePanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    static ILocator Detail(IPage page, string term) => page.Locator($"dl.details dt:text-is('{term}') + dd");

    [Fact]
    public async Task A_volume_is_created_attached_grown_detached_and_deleted_from_its_page()
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = await Vms.CreateActive(user.Api, name: "db-host");
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Volumes" }).ClickAsync();
        await Expect(page.GetByText("You have no volumes yet.")).ToBeVisibleAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "New volume" });
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Data_1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create volume" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=name]")).ToHaveTextAsync("'Data_1' is not a valid volume name (a lowercase letter, then up to 63 of a-z, 0-9 and '-')");
        await Expect(form.GetByLabel("Name", new() { Exact = true })).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "volumes page with a field error");

        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("data-1");
        await form.GetByLabel("Size (GiB)").FillAsync("10");
        await form.GetByLabel("Region").SelectOptionAsync("fra1");
        await form.GetByLabel("File system", new() { Exact = true }).SelectOptionAsync("ext4");
        await form.GetByLabel("File system label").FillAsync("DATA");
        await form.GetByLabel("Tags").FillAsync("db, backup");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create volume" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "data-1" })).ToBeVisibleAsync();
        await Expect(page.Locator(".live-status")).ToHaveTextAsync("available");
        await Expect(Detail(page, "File system")).ToHaveTextAsync("ext4, label DATA");
        var id = (await user.Api.Get("/volumes?name=data-1")).Expect(200)["volumes"].Ids().Single();
        Assert.Equal(["backup", "db"], (await VolumeKit.Get(user.Api, id)).GetProperty("tags").Strings());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Detach" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Attach…" }).ClickAsync();
        var attach = page.GetByRole(AriaRole.Dialog, new() { Name = "Attach volume" });
        await attach.GetByLabel("VM").SelectOptionAsync(new SelectOptionValue { Value = vm.Str("id") });
        await attach.GetByRole(AriaRole.Button, new() { Name = "Attach", Exact = true }).ClickAsync();
        await Expect(Detail(page, "Attached to").GetByRole(AriaRole.Link, new() { Name = "db-host" })).ToBeVisibleAsync();
        var delete = page.GetByRole(AriaRole.Button, new() { Name = "Delete…" });
        await Expect(delete).ToBeDisabledAsync();
        await Expect(page.Locator("#why-delete")).ToHaveTextAsync("It is attached to a VM: detach it before deleting it.");
        Assert.Equal([id], (await Vms.Get(user.Api, vm.Str("id"))).GetProperty("volume_ids").Strings());

        await page.GotoAsync("/volumes");
        var row = page.Locator("tbody tr", new() { HasText = "data-1" });
        await Expect(row).ToContainTextAsync("db-host");
        await Expect(row).ToContainTextAsync("10 GiB");
        await Accessibility.AssertNoSeriousViolations(page, "volumes page");
        await Screenshots.Save(page, "volumes-light");

        await row.GetByRole(AriaRole.Link, new() { Name = "db-host" }).ClickAsync();
        await Expect(Detail(page, "Volumes").GetByRole(AriaRole.Link, new() { Name = "data-1" })).ToBeVisibleAsync();
        await Detail(page, "Volumes").GetByRole(AriaRole.Link, new() { Name = "data-1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "data-1" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Resize…" }).ClickAsync();
        var resize = page.GetByRole(AriaRole.Dialog, new() { Name = "Resize volume" });
        await Expect(resize).ToContainTextAsync("Volumes only grow");
        await resize.GetByLabel("New size (GiB)").FillAsync("5");
        await resize.GetByRole(AriaRole.Button, new() { Name = "Resize" }).ClickAsync();
        await Expect(resize.Locator("[data-error-for=size_gigabytes]")).ToHaveTextAsync($"Volume {id} has 10 GiB; a volume only grows, so give more.");
        await Accessibility.AssertNoSeriousViolations(page, "resize dialog with a field error");
        await resize.GetByLabel("New size (GiB)").FillAsync("20");
        await resize.GetByRole(AriaRole.Button, new() { Name = "Resize" }).ClickAsync();
        await Expect(Detail(page, "Size")).ToHaveTextAsync("20 GiB");

        await page.GetByRole(AriaRole.Button, new() { Name = "Detach" }).ClickAsync();
        await Expect(Detail(page, "Attached to")).ToHaveTextAsync("nothing");
        await Expect(delete).ToBeEnabledAsync();
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("detach");
        await delete.ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete volume" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByText("You have no volumes yet.")).ToBeVisibleAsync();
        (await user.Api.Get($"/volumes/{id}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task The_list_filters_by_tag_and_region_follows_changes_live_and_shows_a_limit_in_the_banner()
    {
        var user = await TestAccounts.Create(panel.Server);
        await VolumeKit.Create(user.Api, name: "logs-1", region: "nyc1", tags: ["logs"]);
        await VolumeKit.Create(user.Api, name: "big-1", size: 16364);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/volumes");
        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter volumes" });
        await filters.GetByLabel("Tag").FillAsync("logs");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("logs-1");
        await filters.GetByLabel("Tag").FillAsync("");
        await filters.GetByLabel("Region").SelectOptionAsync("fra1");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("big-1");
        await Expect(rows.First).ToContainTextAsync("available");

        // Made elsewhere, shown here without a reload.
        await VolumeKit.Create(user.Api, name: "late-1");
        await Expect(rows).ToHaveCountAsync(2);

        var form = page.GetByRole(AriaRole.Form, new() { Name = "New volume" });
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("one-more");
        await form.GetByLabel("Size (GiB)").FillAsync("1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create volume" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("This would exceed your volume_gigabytes_limit of 16384 GiB of volumes (16384 GiB in use).");
        await Expect(form.Locator("[data-error-for=size_gigabytes]")).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Expect(Detail(page, "Volumes")).ToHaveTextAsync("3 of 100");
        await Expect(Detail(page, "Volume space")).ToHaveTextAsync("16384 of 16384 GiB");
    }

    [Theory]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    [InlineData(ColorScheme.Dark, true)]
    public async Task The_volume_pages_have_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = await Vms.CreateActive(user.Api, name: "app-1");
        var volume = await VolumeKit.CreateAvailable(user.Api, name: "files-1");
        await VolumeKit.Run(user.Api, volume.Str("id"), new { type = "attach", vm_id = vm.Str("id") });
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, user.Username, user.Password);

        await page.GotoAsync("/volumes");
        await Expect(page.Locator("tbody tr", new() { HasText = "files-1" })).ToContainTextAsync("app-1");
        await Accessibility.AssertNoSeriousViolations(page, $"volumes ({scheme}, phone: {phone})");
        if (scheme == ColorScheme.Dark && !phone)
            await Screenshots.Save(page, "volumes-dark");

        await page.GotoAsync($"/volumes/{volume.Str("id")}");
        await Expect(page.Locator("#why-delete")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"a volume's page ({scheme}, phone: {phone})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resize…" }).ClickAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"resize dialog ({scheme}, phone: {phone})");
    }
}
