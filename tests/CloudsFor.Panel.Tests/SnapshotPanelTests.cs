using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Snapshots in the browser: one taken from a volume's page shows on /snapshots without a reload, a new volume is made
/// from it (too small a size refused under its field), it is deleted; the list filters by kind.
/// </summary>
public sealed class SnapshotPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    static ILocator Detail(IPage page, string term) => page.Locator($"dl.details dt:text-is('{term}') + dd");

    [Fact]
    public async Task A_volume_snapshot_is_taken_seen_live_made_into_a_volume_and_deleted()
    {
        var user = await TestAccounts.Create(panel.Server);
        var volume = await VolumeKit.CreateAvailable(user.Api, name: "data-1");
        var volumeId = volume.Str("id");
        var list = await panel.NewPage();
        await PanelFixture.SignIn(list, user.Username, user.Password);
        await list.GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        await Expect(list.GetByText("You have no snapshots yet.")).ToBeVisibleAsync();

        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync($"/volumes/{volumeId}");
        await Expect(page.Locator("#snapshots-h + p")).ToHaveTextAsync("None yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Snapshot…" }).ClickAsync();
        var take = page.GetByRole(AriaRole.Dialog, new() { Name = "Snapshot volume" });
        await take.GetByLabel("Name").FillAsync("nightly");
        await Accessibility.AssertNoSeriousViolations(page, "snapshot dialog");
        await take.GetByRole(AriaRole.Button, new() { Name = "Take snapshot" }).ClickAsync();
        var own = page.GetByRole(AriaRole.Region, new() { Name = "Snapshots of this volume" }).Locator("tbody tr", new() { HasText = "nightly" });
        await Expect(own).ToContainTextAsync("available");
        var snapshot = (await user.Api.Get("/snapshots?resource_type=volume")).Expect(200)["snapshots"].EnumerateArray().Single();
        var snapshotId = snapshot.Str("id");

        // The list page was open all along: the snapshot came to it live.
        var row = list.Locator("tbody tr", new() { HasText = "nightly" });
        await Expect(row).ToContainTextAsync("available");
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("volume");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "data-1" })).ToHaveAttributeAsync("href", $"/volumes/{volumeId}");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("fra1");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync($"{snapshot.GetProperty("size_gigabytes").GetRawText()} GiB");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("10 GiB");
        await Accessibility.AssertNoSeriousViolations(list, "snapshots page");
        await Screenshots.Save(list, "snapshots-light");

        await own.GetByRole(AriaRole.Button, new() { Name = "New volume from nightly" }).ClickAsync();
        var make = page.GetByRole(AriaRole.Dialog, new() { Name = "New volume from snapshot" });
        await Expect(make).ToContainTextAsync("At least 10 GiB, the size of the volume it was taken of.");
        await make.GetByLabel("Name").FillAsync("restored");
        await make.GetByLabel("Size (GiB)").FillAsync("5");
        await make.GetByRole(AriaRole.Button, new() { Name = "Create volume" }).ClickAsync();
        await Expect(make.Locator("[data-error-for=size_gigabytes]"))
            .ToHaveTextAsync($"Snapshot {snapshotId} is of a 10 GiB volume; a volume made from it needs at least 10.");
        await Accessibility.AssertNoSeriousViolations(page, "new volume from snapshot dialog with a field error");
        await make.GetByLabel("Size (GiB)").FillAsync("12");
        await make.GetByRole(AriaRole.Button, new() { Name = "Create volume" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "restored" })).ToBeVisibleAsync();
        await Expect(page.Locator(".live-status")).ToHaveTextAsync("available");
        await Expect(Detail(page, "Size")).ToHaveTextAsync("12 GiB");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete nightly" }).ClickAsync();
        var confirm = list.GetByRole(AriaRole.Dialog, new() { Name = "Delete snapshot" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(list.GetByText("You have no snapshots yet.")).ToBeVisibleAsync();
        (await user.Api.Get($"/snapshots/{snapshotId}")).ExpectError(404, "not_found");
        // The volume made from it is a full copy and stays.
        Assert.Equal("available", (await VolumeKit.Get(user.Api, (await page.EvaluateAsync<string>("location.pathname"))[9..])).Str("status"));
    }

    [Fact]
    public async Task The_list_filters_by_kind_and_links_each_snapshot_to_what_it_was_taken_of()
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = await Vms.CreateActive(user.Api, name: "web-1");
        await Vms.RunCompleted(user.Api, vm.Str("id"), new { type = "snapshot", name = "web-snap" });
        var volume = await VolumeKit.CreateAvailable(user.Api, name: "files-1");
        (await user.Api.Post($"/volumes/{volume.Str("id")}/snapshots", new { name = "files-snap" })).Expect(202);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/snapshots");
        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "web-snap" }).GetByRole(AriaRole.Link, new() { Name = "web-1" }))
            .ToHaveAttributeAsync("href", $"/vms/{vm.Str("id")}");
        await Expect(rows.Filter(new() { HasText = "web-snap" }).Locator("td").Nth(0)).ToHaveTextAsync("VM");

        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter snapshots" });
        await filters.GetByLabel("Kind").SelectOptionAsync("volume");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("files-snap");
        await filters.GetByLabel("Kind").SelectOptionAsync("vm");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("web-snap");
        Assert.EndsWith("/snapshots?resource_type=vm", page.Url);
    }

    [Theory]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    [InlineData(ColorScheme.Dark, true)]
    public async Task The_snapshot_pages_have_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var volume = await VolumeKit.CreateAvailable(user.Api, name: "files-1");
        (await user.Api.Post($"/volumes/{volume.Str("id")}/snapshots", new { name = "files-snap" })).Expect(202);
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, user.Username, user.Password);

        await page.GotoAsync("/snapshots");
        await Expect(page.Locator("tbody tr", new() { HasText = "files-snap" })).ToContainTextAsync("available");
        await Accessibility.AssertNoSeriousViolations(page, $"snapshots ({scheme}, phone: {phone})");
        if (scheme == ColorScheme.Dark && !phone)
            await Screenshots.Save(page, "snapshots-dark");

        await page.GotoAsync($"/volumes/{volume.Str("id")}");
        var newVolume = page.GetByRole(AriaRole.Button, new() { Name = "New volume from files-snap" });
        await Expect(newVolume).ToBeEnabledAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"a volume's page with snapshots ({scheme}, phone: {phone})");
        await newVolume.ClickAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"new volume from snapshot dialog ({scheme}, phone: {phone})");
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Button, new() { Name = "Snapshot…" }).ClickAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"snapshot dialog ({scheme}, phone: {phone})");
    }
}
