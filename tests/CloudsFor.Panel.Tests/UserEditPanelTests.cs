using System.Text.RegularExpressions;
using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Editing a user in the browser: an operator changes a user's limits and email and sees them in the list, a bad
/// value's 422 stays under its field in the dialog, and the operator's own admin box cannot be cleared.
/// </summary>
public sealed class UserEditPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task An_operator_edits_a_users_limits_and_a_bad_value_is_shown_under_its_field()
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GotoAsync("/users");
        var row = page.Locator("tbody tr", new() { HasText = user.Username });
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("100");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("16384");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {user.Username}" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = $"Edit {user.Username}" });
        await edit.GetByLabel("VM limit").FillAsync("-1");
        await edit.GetByLabel("Volume limit").FillAsync("4");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit.Locator("[data-error-for=vm_limit]")).ToHaveTextAsync("must be between 0 and 1000000");
        await Expect(edit.GetByLabel("VM limit")).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolations(page, "edit user dialog with a field error");
        Assert.Equal(100, (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("volume_limit").GetInt32());

        await edit.GetByLabel("VM limit").FillAsync("2");
        await edit.GetByLabel("Volume space limit (GiB)").FillAsync("50");
        await edit.GetByLabel("Email").FillAsync("new-" + user.Username + "@example.test");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit).ToHaveCountAsync(0);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("new-" + user.Username + "@example.test");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("no");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("2");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("4");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("50");
        var account = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal((2, 4, 50), (account.GetProperty("vm_limit").GetInt32(), account.GetProperty("volume_limit").GetInt32(),
            account.GetProperty("volume_gigabytes_limit").GetInt32()));
    }

    [Fact]
    public async Task An_operator_cannot_clear_their_own_admin_box_but_can_make_another_user_an_operator()
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var user = await TestAccounts.Create(panel.Server);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GotoAsync("/users");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {operatorUser.Username}" }).ClickAsync();
        var self = page.GetByRole(AriaRole.Dialog, new() { Name = $"Edit {operatorUser.Username}" });
        await Expect(self.GetByLabel("Operator")).ToBeDisabledAsync();
        await Expect(self.GetByLabel("Operator")).ToBeCheckedAsync();
        await Expect(self.GetByLabel("Operator")).ToHaveAccessibleDescriptionAsync(new Regex("^You cannot take admin away from yourself\\."));
        await self.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        var row = page.Locator("tbody tr", new() { HasText = user.Username });
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {user.Username}" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = $"Edit {user.Username}" });
        await Expect(edit.GetByLabel("Operator")).ToBeEnabledAsync();
        await edit.GetByLabel("Operator").CheckAsync();
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("yes");
        (await user.Api.Get("/users")).Expect(200);
    }

    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task The_edit_dialog_has_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {operatorUser.Username}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"edit user dialog ({scheme}, phone: {phone})");
    }
}
