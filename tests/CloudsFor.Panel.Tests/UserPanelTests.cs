using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>
/// Users in the browser: an operator creates a user who signs in elsewhere and sees nothing of the operator's, is kept
/// out of the Users page, and is signed out for good when the operator deletes the user.
/// </summary>
public sealed class UserPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task A_user_created_by_an_operator_sees_none_of_the_operators_vms_and_is_refused_once_deleted()
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var vm = await Vms.Create(operatorUser.Api);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();

        var username = TestAccounts.UniqueName();
        const string password = "a-long-password";
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Email").FillAsync(username + "@example.test");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByLabel("VM limit").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = username });
        await Expect(row).ToContainTextAsync(username + "@example.test");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("no");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("3");
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");

        var other = await panel.NewPage();
        await PanelFixture.SignIn(other, username, password);
        await Expect(other.GetByText("You have no VMs yet")).ToBeVisibleAsync();
        await Expect(other.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await other.GotoAsync($"/vms/{vm.Id}");
        await Expect(other.GetByRole(AriaRole.Heading, new() { Name = "VM not found" })).ToBeVisibleAsync();
        await other.GotoAsync("/users");
        await Expect(other.GetByText("Managing users is for operators only")).ToBeVisibleAsync();
        await Expect(other.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Delete {username}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete user" });
        await Expect(confirm).ToContainTextAsync("Every VM of this user is destroyed");
        await Accessibility.AssertNoSeriousViolations(page, "delete user dialog");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete user" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        var users = (await operatorUser.Api.Get("/users?per_page=200")).Expect(200)["users"];
        Assert.DoesNotContain(username, users.EnumerateArray().Select(u => u.Str("username")));

        await other.ReloadAsync();
        await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_bad_email_and_a_taken_username_are_shown_under_their_fields_and_create_nothing()
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GotoAsync("/users");
        var before = (await operatorUser.Api.Get("/users")).Expect(200)["meta"].GetProperty("total").GetInt32();

        var username = TestAccounts.UniqueName();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Email").FillAsync("not-an-email");
        await page.GetByLabel("Password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        var email = page.GetByLabel("Email");
        await Expect(page.Locator("[data-error-for=email]")).ToHaveTextAsync("must be an email address");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        await Accessibility.AssertNoSeriousViolations(page, "users page with a field error");

        await page.GetByLabel("Username").FillAsync(operatorUser.Username);
        await email.FillAsync("someone@example.test");
        await page.GetByLabel("Password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.Locator("[data-error-for=username]")).ToHaveTextAsync($"The username {operatorUser.Username} is taken.");
        await Expect(page.Locator("[data-error-for=email]")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        Assert.Equal(before, (await operatorUser.Api.Get("/users")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task The_users_page_has_no_serious_accessibility_violations(ColorScheme scheme, bool phone)
    {
        var operatorUser = await TestAccounts.Create(panel.Server, admin: true);
        var page = await panel.NewPage(scheme, phone);
        await PanelFixture.SignIn(page, operatorUser.Username, operatorUser.Password);
        await page.GotoAsync("/users");
        await Expect(page.Locator("tbody tr", new() { HasText = operatorUser.Username })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page, $"users page ({scheme}{(phone ? ", phone" : "")})");
        if (!phone)
            await Screenshots.Save(page, scheme == ColorScheme.Dark ? "users-dark" : "users-light");
    }
}
