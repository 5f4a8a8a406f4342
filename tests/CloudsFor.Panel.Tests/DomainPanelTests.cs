using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Domains in the browser: a domain added from its form, records added, edited and deleted through the form of their
/// type, a bad address shown under its field, the zone file, and the domain deleted; every result checked over the API.
/// </summary>
public sealed class DomainPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task A_domain_and_its_records_are_managed_from_the_panel_and_the_zone_file_shows_them()
    {
        var user = await TestAccounts.Create(panel.Server);
        var domain = Domains.UniqueName("panel");
        var page = await panel.NewPage();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Domains" }).ClickAsync();

        await page.GetByLabel("Domain name").FillAsync(domain);
        await page.GetByLabel("IP address (optional)").FillAsync("192.0.2.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = domain }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = domain, Exact = true })).ToBeVisibleAsync();
        Assert.Equal("192.0.2.1", (await Domains.Records(user.Api, domain, "&type=A&name=@")).Single().Str("data"));

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add record" });
        var said = form.GetByRole(AriaRole.Status);
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("www");
        await form.GetByLabel("IPv4 address").FillAsync("192.0.2.10");
        await Expect(form.GetByLabel("Priority")).ToHaveCountAsync(0);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add record" }).ClickAsync();
        await Expect(said).ToHaveTextAsync("Added the A record www.");

        await form.GetByLabel("Type").SelectOptionAsync("MX");
        await form.GetByLabel("Mail server").FillAsync($"mail.{domain}");
        await form.GetByLabel("Priority").FillAsync("10");
        await Expect(form.GetByLabel("Weight")).ToHaveCountAsync(0);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add record" }).ClickAsync();
        await Expect(said).ToHaveTextAsync("Added the MX record @.");

        await form.GetByLabel("Type").SelectOptionAsync("TXT");
        await form.GetByLabel("Text").FillAsync("v=spf1 -all");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add record" }).ClickAsync();
        await Expect(said).ToHaveTextAsync("Added the TXT record @.");

        var mx = (await Domains.Records(user.Api, domain, "&type=MX")).Single();
        Assert.Equal(($"mail.{domain}", 10), (mx.Str("data"), mx.GetProperty("priority").GetInt32()));
        Assert.Equal("v=spf1 -all", (await Domains.Records(user.Api, domain, "&type=TXT")).Single().Str("data"));
        var www = (await Domains.Records(user.Api, domain, "&name=www")).Single();
        Assert.Equal(("A", "192.0.2.10"), (www.Str("type"), www.Str("data")));

        // The fields of SRV and CAA are theirs alone.
        await form.GetByLabel("Type").SelectOptionAsync("SRV");
        await Expect(form.GetByLabel("Port")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Flags")).ToHaveCountAsync(0);
        await form.GetByLabel("Type").SelectOptionAsync("CAA");
        await Expect(form.GetByLabel("Tag", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Port")).ToHaveCountAsync(0);

        await form.GetByLabel("Type").SelectOptionAsync("A");
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("bad");
        var address = form.GetByLabel("IPv4 address");
        await address.FillAsync("300.1.2.3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add record" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=data]")).ToHaveTextAsync("'300.1.2.3' is not an IPv4 address (four numbers 0-255 separated by dots)");
        await Expect(address).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(address).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "domain page with a field error");
        Assert.Empty(await Domains.Records(user.Api, domain, "&name=bad"));

        var records = page.GetByRole(AriaRole.Region, new() { Name = $"Records of {domain}" });
        await records.GetByRole(AriaRole.Button, new() { Name = "Edit A record www 192.0.2.10" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit A record" });
        await Expect(edit.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("www");
        await edit.GetByLabel("IPv4 address").FillAsync("192.0.2.11");
        await edit.GetByLabel("TTL in seconds").FillAsync("600");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit).ToHaveCountAsync(0);
        await Expect(records.GetByRole(AriaRole.Row, new() { Name = "A www 192.0.2.11 600", Exact = false })).ToBeVisibleAsync();
        www = (await user.Api.Get($"/domains/{domain}/records/{www.Str("id")}")).Expect(200)["domain_record"];
        Assert.Equal(("192.0.2.11", 600), (www.Str("data"), www.GetProperty("ttl").GetInt32()));

        await records.GetByRole(AriaRole.Button, new() { Name = "Delete TXT record @ v=spf1 -all" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete record" });
        await Expect(confirm).ToContainTextAsync("v=spf1 -all");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(records.Locator("tr", new() { HasText = "TXT" })).ToHaveCountAsync(0);
        Assert.Empty(await Domains.Records(user.Api, domain, "&type=TXT"));

        var soa = records.Locator("tr", new() { HasText = "SOA" });
        await Expect(soa).ToContainTextAsync("Cannot be deleted: it goes with the domain.");
        await Expect(soa.GetByRole(AriaRole.Button, new() { NameRegex = new("^Delete") })).ToHaveCountAsync(0);

        var zone = page.Locator("pre.zone-file");
        await Expect(zone).Not.ToContainTextAsync("v=spf1");
        await Expect(zone).ToContainTextAsync($"www.{domain}.\t600\tIN\tA\t192.0.2.11");
        await Expect(zone).ToContainTextAsync($"{domain}.\t1800\tIN\tMX\t10 mail.{domain}.");
        var zoneFile = (await user.Api.Get($"/domains/{domain}")).Expect(200)["domain"].Str("zone_file");
        Assert.Equal(zoneFile, await zone.TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy zone file" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Copied." })).ToBeVisibleAsync();
        Assert.Equal(zoneFile, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter records" });
        await filters.GetByLabel("Type").SelectOptionAsync("MX");
        await Expect(records.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(records.Locator("tbody tr")).ToContainTextAsync($"mail.{domain}");
        await Expect(records.GetByRole(AriaRole.Columnheader, new() { Name = "Priority" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Domains", Exact = true }).First.ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = domain });
        await row.GetByRole(AriaRole.Button, new() { Name = $"Delete {domain}" }).ClickAsync();
        var delete = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete domain" });
        var sure = delete.GetByRole(AriaRole.Button, new() { Name = "Delete for ever" });
        await Expect(sure).ToBeDisabledAsync();
        await delete.GetByLabel($"Type the domain's name, {domain}, to confirm").FillAsync(domain);
        await sure.ClickAsync();
        await Expect(page.GetByText("No domains yet.")).ToBeVisibleAsync();
        (await user.Api.Get($"/domains/{domain}")).ExpectError(404, "not_found");
    }

    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task The_domains_pages_have_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var domain = await Domains.Create(user.Api, Domains.UniqueName("look"), "192.0.2.10");
        await Domains.AddRecord(user.Api, domain, new { type = "CNAME", name = "www", data = "@" });
        await Domains.AddRecord(user.Api, domain, new { type = "MX", name = "@", data = $"mail.{domain}", priority = 10 });
        await Domains.AddRecord(user.Api, domain, new { type = "TXT", name = "@", data = "v=spf1 mx -all" });
        await Domains.AddRecord(user.Api, domain, new { type = "SRV", name = "_sip._tcp", data = $"sip.{domain}", priority = 10, weight = 5, port = 5060 });
        await Domains.AddRecord(user.Api, domain, new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issue", flags = 0 });
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, user.Username, user.Password);

        await page.GotoAsync("/domains");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = domain })).ToBeVisibleAsync();
        var count = (await Domains.Records(user.Api, domain)).Count;
        await Expect(page.Locator("tbody tr", new() { HasText = domain }).Locator("td").Nth(2)).ToHaveTextAsync(count.ToString());
        await Accessibility.AssertNoSeriousViolations(page, $"domains list ({scheme}, phone: {phone})");

        // Opened by its address, not by a link: the server hands out the panel for /domains/NAME.test too.
        await page.GotoAsync($"/domains/{domain}");
        await Expect(page.Locator("tbody tr", new() { HasText = "SRV" })).ToContainTextAsync("5060");
        await Expect(page.Locator("pre.zone-file")).ToContainTextAsync("CAA");
        await Accessibility.AssertNoSeriousViolations(page, $"domain page ({scheme}, phone: {phone})");
        if (!phone)
            await Screenshots.Save(page, scheme == ColorScheme.Dark ? "domains-dark" : "domains-light");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit SRV record _sip._tcp sip.{domain}" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit SRV record" });
        await Expect(edit.GetByLabel("Port")).ToHaveValueAsync("5060");
        await Accessibility.AssertNoSeriousViolations(page, $"edit record dialog ({scheme}, phone: {phone})");
    }
}
