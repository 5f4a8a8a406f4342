using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Keys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>SSH keys in the browser: added from a .pub file, picked on the create form and given to the VM, renamed, deleted.</summary>
public sealed class KeyPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>, IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("cloudsfor-panel-keys-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    string[] StoredKeys(string vmId) => StoreFiles.VmSshKeys(panel.Server, vmId);

    [Fact]
    public async Task A_key_added_from_its_file_is_picked_on_the_create_form_and_the_VM_gets_it()
    {
        var user = await TestAccounts.Create(panel.Server);
        var laptop = await KeyGen.Make(folder, "ed25519", comment: "me@laptop");
        var other = await KeyGen.Make(folder, "ecdsa", 256);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "SSH keys" }).ClickAsync();

        await page.GetByLabel("Or read it from a file").SetInputFilesAsync(laptop.PrivateKeyFile + ".pub");
        await Expect(page.GetByLabel("Name")).ToHaveValueAsync("me@laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add SSH key" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "me@laptop" });
        await Expect(row).ToContainTextAsync(laptop.Md5);
        await Expect(row).ToContainTextAsync(laptop.Sha256);
        await Accessibility.AssertNoSeriousViolations(page, "SSH keys page");
        await Screenshots.Save(page, "keys-light");

        await page.GotoAsync("/vms/new");
        await page.GetByLabel("Name(s)").FillAsync("keyed-1");
        await page.GetByLabel("me@laptop").CheckAsync();
        await page.GetByLabel("Other SSH public keys").FillAsync(other.PublicKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "keyed-1" })).ToBeVisibleAsync();

        var vm = (await user.Api.Get("/vms?name=keyed-1")).Expect(200)["vms"][0].Str("id");
        Assert.Equal([laptop.PublicKey, other.PublicKey], StoredKeys(vm));
    }

    [Fact]
    public async Task A_short_RSA_key_is_refused_under_its_field_and_a_key_is_renamed_and_deleted()
    {
        var user = await TestAccounts.Create(panel.Server);
        var weak = await KeyGen.Make(folder, "rsa", 1024);
        var good = await KeyGen.Make(folder, "ed25519");
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GotoAsync("/keys");

        await page.GetByLabel("Public key").FillAsync(weak.PublicKey);
        await page.GetByLabel("Name").FillAsync("old laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add SSH key" }).ClickAsync();
        await Expect(page.Locator("[data-error-for=public_key]")).ToHaveTextAsync("is not an OpenSSH public key (TYPE BASE64 [COMMENT]): RSA keys must be at least 2048 bits; this one has 1024");
        await Expect(page.GetByLabel("Public key")).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "SSH keys page with a field error");
        Assert.Equal(0, (await user.Api.Get("/account/keys")).Expect(200)["meta"].GetProperty("total").GetInt32());

        await page.GetByLabel("Public key").FillAsync(good.PublicKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add SSH key" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "old laptop" });
        await Expect(row).ToContainTextAsync(good.Sha256);

        await row.GetByRole(AriaRole.Button, new() { Name = "Rename old laptop" }).ClickAsync();
        var rename = page.GetByRole(AriaRole.Dialog, new() { Name = "Rename SSH key" });
        await rename.GetByLabel("New name").FillAsync("desk");
        await rename.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        var renamed = page.Locator("tbody tr", new() { HasText = "desk" });
        await Expect(renamed).ToContainTextAsync(good.Md5);
        Assert.Equal("desk", (await user.Api.Get("/account/keys/" + Uri.EscapeDataString(good.Sha256))).Expect(200)["ssh_key"].Str("name"));

        await renamed.GetByRole(AriaRole.Button, new() { Name = "Delete desk" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Delete SSH key" }).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByText("No SSH keys yet.")).ToBeVisibleAsync();
        Assert.Equal(0, (await user.Api.Get("/account/keys")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task The_keys_page_and_the_key_picker_have_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var user = await TestAccounts.Create(panel.Server);
        var key = await KeyGen.Make(folder, "ed25519");
        (await user.Api.Post("/account/keys", new { name = "laptop", public_key = key.PublicKey })).Expect(201);
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, user.Username, user.Password);

        await page.GotoAsync("/keys");
        await Expect(page.Locator("tbody tr", new() { HasText = "laptop" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"SSH keys ({scheme}, phone: {phone})");
        if (!phone)
            await Screenshots.Save(page, "keys-dark");

        await page.GotoAsync("/vms/new");
        await Expect(page.GetByLabel("laptop")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"create form with keys ({scheme}, phone: {phone})");
    }
}
