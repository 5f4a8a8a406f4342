using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>The panel in a real browser against a real server: VMs from sign-in to power-off, errors where they belong.</summary>
public sealed class VmPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task A_VM_created_from_the_form_becomes_active_and_powers_off_from_its_page_without_a_reload()
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        // Set once; a reload would lose it.
        await page.EvaluateAsync("window.sameDocument = true");

        await page.GetByRole(AriaRole.Link, new() { Name = "Create VM" }).ClickAsync();
        await page.GetByLabel("Name(s)").FillAsync("web-1");
        await page.GetByLabel("Tags").FillAsync("panel, web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var status = page.Locator(".live-status .badge");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "web-1" })).ToBeVisibleAsync();
        await Expect(status).ToHaveTextAsync("active");
        var powerOn = page.Locator("button[data-action=power_on]");
        await Expect(powerOn).ToBeDisabledAsync();
        await Expect(page.Locator("#why-power_on")).ToHaveTextAsync("The VM is already on.");

        await page.Locator("button[data-action=power_off]").ClickAsync();
        await Expect(status).ToHaveTextAsync("off");
        await Expect(powerOn).ToBeEnabledAsync();
        await Expect(page.Locator("button[data-action=reboot]")).ToBeDisabledAsync();

        var vms = (await user.Api.Get("/vms")).Expect(200)["vms"];
        Assert.Equal("off", vms[0].GetProperty("status").GetString());
        Assert.Equal(["panel", "web"], vms[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_VM_list_shows_a_VM_created_elsewhere_and_follows_it_to_active(bool eventStream)
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        // Without the stream (a proxy that drops it, say) the list polls instead.
        if (!eventStream)
            await page.RouteAsync("**/api/v1/events*", route => route.AbortAsync());
        var stream = page.WaitForResponseAsync(r => r.Url.Contains("/api/v1/events?resource_type=vm", StringComparison.Ordinal));
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await Expect(page.GetByText("You have no VMs yet.")).ToBeVisibleAsync();
        if (eventStream)
        {
            var opened = await stream;
            Assert.Equal(200, opened.Status);
            Assert.StartsWith("text/event-stream", opened.Headers["content-type"]);
        }

        var created = (await user.Api.Post("/vms", new { name = "from-the-api", size = "s-1vcpu-1gb", image = "tiny" })).Expect(202)["vm"];
        var row = page.Locator($"tr[data-vm='{created.GetProperty("id").GetString()}']");
        await Expect(row).ToContainTextAsync("from-the-api");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("active");
    }

    [Fact]
    public async Task A_change_made_before_the_event_stream_opened_still_reaches_the_page()
    {
        var user = await TestAccounts.Create(panel.Server);
        var vmId = (await Vms.CreateActive(user.Api, "early")).GetProperty("id").GetString();
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        // The stream is held back while the VM changes, as on a loaded machine where the page's first read wins the race.
        var released = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/events*", async route =>
        {
            await released.Task;
            await route.ContinueAsync();
        });

        await page.GotoAsync($"/vms/{vmId}");
        var status = page.Locator(".live-status .badge");
        await Expect(status).ToHaveTextAsync("active");
        var off = await Vms.RunCompleted(user.Api, vmId!, new { type = "power_off" });
        Assert.Equal("off", off.GetProperty("status").GetString());
        released.SetResult();

        await Expect(status).ToHaveTextAsync("off");
    }

    [Fact]
    public async Task A_field_error_is_shown_next_to_its_field()
    {
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/vms/new");
        await page.GetByLabel("Name(s)").FillAsync("not_a_hostname!");
        await page.GetByLabel("SSH public key").FillAsync("not a key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var names = page.GetByLabel("Name(s)");
        await Expect(names).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("[data-error-for=names]")).ToContainTextAsync("'not_a_hostname!' is not a valid hostname");
        await Expect(page.Locator("[data-error-for=ssh_keys]")).ToContainTextAsync("is not an OpenSSH public key");
        await Expect(page.Locator("[data-error-for=size]")).ToBeHiddenAsync();
        await Expect(names).ToBeFocusedAsync();
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }
}
