using System.Text.Json;
using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Every action of the VM page in the browser, each checked again through the API: power, resize, snapshot, rename,
/// the console's tail, delete with the typed name, and a refusal shown with its request id.
/// </summary>
public sealed class VmActionsPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task Power_off_then_on_follows_the_status_live_and_the_history_lists_both()
    {
        var (user, vm, page) = await OpenVmPage();
        var status = page.Locator(".live-status .badge");
        await Expect(status).ToHaveTextAsync("active");

        await page.Locator("button[data-action=power_off]").ClickAsync();
        await Expect(status).ToHaveTextAsync("off");
        Assert.Equal("off", (await Vms.Get(user.Api, vm)).GetProperty("status").GetString());

        await page.Locator("button[data-action=power_on]").ClickAsync();
        await Expect(status).ToHaveTextAsync("active");
        Assert.Equal("active", (await Vms.Get(user.Api, vm)).GetProperty("status").GetString());

        // Newest first.
        var history = page.Locator("section[aria-labelledby=history-h] tbody tr");
        await Expect(history.Locator("td:first-child")).ToHaveTextAsync(["power_on", "power_off", "create"]);
        await Expect(history.Locator("td:nth-child(2)")).ToHaveTextAsync(["completed", "completed", "completed"]);
        var types = (await user.Api.Get($"/vms/{vm}/actions")).Expect(200)["actions"].EnumerateArray().Select(a => a.GetProperty("type").GetString()).Order();
        Assert.Equal(["create", "power_off", "power_on"], types);
        await AssertNoReload(page);
    }

    [Fact]
    public async Task The_history_shows_the_newest_ten_actions_when_there_are_more()
    {
        var (user, vm, page) = await OpenVmPage();
        for (var i = 0; i < 6; i++)
            foreach (var type in new[] { "power_off", "power_on" })
                await Vms.WaitForAction(user.Api, (await user.Api.Post($"/vms/{vm}/actions", new { type })).Expect(201)["action"].GetProperty("id").GetString()!);
        await page.Locator("button[data-action=power_off]").ClickAsync();
        await Expect(page.Locator(".live-status .badge")).ToHaveTextAsync("off");

        // 14 actions: create, 6 × (power_off, power_on), and this page's power_off; the newest 10 are shown.
        Assert.Equal(14, (await user.Api.Get($"/vms/{vm}/actions")).Expect(200)["meta"].GetProperty("total").GetInt32());
        var history = page.Locator("section[aria-labelledby=history-h] tbody tr td:first-child");
        await Expect(history).ToHaveTextAsync(["power_off", "power_on", "power_off", "power_on", "power_off", "power_on", "power_off", "power_on", "power_off", "power_on"]);
    }

    [Fact]
    public async Task Resize_from_the_dialog_with_a_grown_disk_shows_the_new_size()
    {
        var (user, vm, page) = await OpenVmPage();
        var size = page.Locator("dl.details dt:text-is('Size') + dd");
        await Expect(size).ToHaveTextAsync("s-1vcpu-512mb — 1 vCPU, 512 MiB, 10 GiB");

        await page.Locator("button[data-action=resize]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Resize VM" });
        await dialog.GetByLabel("New size").SelectOptionAsync("s-2vcpu-2gb");
        await dialog.GetByLabel("Also grow the disk (cannot be undone)").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resize", Exact = true }).ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(size).ToHaveTextAsync("s-2vcpu-2gb — 2 vCPU, 2 GiB, 50 GiB");
        var after = await Vms.Get(user.Api, vm);
        Assert.Equal("s-2vcpu-2gb", after.GetProperty("size_slug").GetString());
        Assert.Equal(50, after.GetProperty("disk").GetInt32());
        Assert.Equal(2048, after.GetProperty("memory").GetInt32());
        await AssertNoReload(page);
    }

    [Fact]
    public async Task A_snapshot_taken_from_the_dialog_appears_on_the_images_page_by_its_name()
    {
        var (user, vm, page) = await OpenVmPage();
        var name = TestAccounts.UniqueName("snap-");

        await page.Locator("button[data-action=snapshot]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Snapshot VM" });
        await dialog.GetByLabel("Snapshot name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Snapshot", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var last = page.Locator("section[aria-labelledby=history-h] tbody tr").First;
        await Expect(last.Locator("td:first-child")).ToHaveTextAsync("snapshot");
        await Expect(last.Locator("td:nth-child(2)")).ToHaveTextAsync("completed");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Images" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("snapshot");
        var images = (await user.Api.Get("/images?private=true")).Expect(200)["images"].EnumerateArray().ToList();
        var image = Assert.Single(images, i => i.GetProperty("name").GetString() == name);
        Assert.Equal("snapshot", image.GetProperty("type").GetString());
        await AssertNoReload(page);
    }

    [Fact]
    public async Task The_console_box_shows_what_the_VM_printed_and_follows_new_lines()
    {
        var (user, vm, page) = await OpenVmPage();
        var printed = (await user.Api.Get($"/vms/{vm}/console")).Expect(200)["console"].GetProperty("output").GetString()!;
        Assert.Contains("cloudsfor: ready", printed);
        var box = page.GetByLabel("Serial console output");
        foreach (var line in printed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            await Expect(box).ToContainTextAsync(line);

        // A line written after the page opened, by an action the page did not start.
        await Vms.WaitForAction(user.Api, (await user.Api.Post($"/vms/{vm}/actions", new { type = "power_off" })).Expect(201)["action"].GetProperty("id").GetString()!);
        Assert.Contains("cloudsfor: powered off", (await user.Api.Get($"/vms/{vm}/console")).Expect(200)["console"].GetProperty("output").GetString());
        await Expect(box).ToContainTextAsync("cloudsfor: powered off");
        await AssertNoReload(page);
    }

    [Fact]
    public async Task Rename_from_the_dialog_changes_the_heading()
    {
        var (user, vm, page) = await OpenVmPage();
        var name = Vms.UniqueName("renamed");

        await page.Locator("button[data-action=rename]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rename VM" });
        await dialog.GetByLabel("New name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        Assert.Equal(name, (await Vms.Get(user.Api, vm)).GetProperty("name").GetString());
        await AssertNoReload(page);
    }

    [Fact]
    public async Task Delete_needs_the_exact_name_typed_then_returns_to_the_list_and_the_VM_is_gone()
    {
        var (user, vm, page) = await OpenVmPage();
        var name = (await Vms.Get(user.Api, vm)).GetProperty("name").GetString()!;

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete VM…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete VM" });
        var confirm = dialog.GetByLabel($"Type the VM's name, {name}, to confirm");
        var delete = dialog.GetByRole(AriaRole.Button, new() { Name = "Delete for ever" });
        await Expect(delete).ToBeDisabledAsync();
        await confirm.FillAsync(name[..^1]);
        await Expect(delete).ToBeDisabledAsync();
        await confirm.FillAsync(name.ToUpperInvariant());
        await Expect(delete).ToBeDisabledAsync();
        // Enter in the field must not get round the disabled button either.
        await confirm.PressAsync("Enter");
        (await user.Api.Get($"/vms/{vm}")).Expect(200);

        await confirm.FillAsync(name);
        await Expect(delete).ToBeEnabledAsync();
        await delete.ClickAsync();

        await Expect(page).ToHaveURLAsync(panel.Server.Origin + "/vms");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "VMs", Exact = true })).ToBeVisibleAsync();
        (await user.Api.Get($"/vms/{vm}")).ExpectError(404, "not_found");
        await AssertNoReload(page);
    }

    [Fact]
    public async Task An_action_the_API_refuses_is_shown_in_the_banner_with_its_request_id()
    {
        var (user, vm, page) = await OpenVmPage();
        await Expect(page.Locator(".live-status .badge")).ToHaveTextAsync("active");
        // Another client powers the VM off while this page still shows it on: the page's own reads of the VM are held
        // back (not answered falsely) until the refusal is on screen, as on a slow link.
        var held = new TaskCompletionSource();
        await page.RouteAsync($"**/api/v1/vms/{vm}", async route =>
        {
            if (route.Request.Method == "GET")
                await held.Task;
            await route.ContinueAsync();
        });
        await Vms.WaitForAction(user.Api, (await user.Api.Post($"/vms/{vm}/actions", new { type = "power_off" })).Expect(201)["action"].GetProperty("id").GetString()!);

        var answer = page.WaitForResponseAsync(r => r.Url.EndsWith($"/vms/{vm}/actions", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.Locator("button[data-action=power_off]").ClickAsync();
        var refused = await answer;
        Assert.Equal(422, refused.Status);
        var body = JsonDocument.Parse(await refused.TextAsync()).RootElement;
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("type: The VM is already powered off.");
        await Expect(alert.Locator(".request-id code")).ToHaveTextAsync(body.GetProperty("request_id").GetString()!);

        held.SetResult();
        await Expect(page.Locator(".live-status .badge")).ToHaveTextAsync("off");
        Assert.Equal(1, (await user.Api.Get($"/vms/{vm}/actions")).Expect(200)["actions"].EnumerateArray().Count(a => a.GetProperty("type").GetString() == "power_off"));
    }

    /// <summary>A user with one active VM, signed in, on that VM's page reached by its link in the list.</summary>
    async Task<(TestUser User, string Vm, IPage Page)> OpenVmPage()
    {
        var user = await TestAccounts.Create(panel.Server);
        var vm = (await Vms.CreateActive(user.Api)).GetProperty("id").GetString()!;
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.Locator($"tr[data-vm='{vm}'] a").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{panel.Server.Origin}/vms/{vm}");
        await Expect(page.Locator(".live-status .badge")).ToBeVisibleAsync();
        // Set once; a reload would lose it.
        await page.EvaluateAsync("window.sameDocument = true");
        return (user, vm, page);
    }

    static async Task AssertNoReload(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
}
