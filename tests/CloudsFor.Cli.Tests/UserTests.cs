using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor user update`: an operator changes a user's limits and admin flag.</summary>
public sealed class UserTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task An_operator_changes_a_users_limits_and_admin_flag()
    {
        using var home = new CliHome(shared.Server);
        var login = await home.RunWithInput(shared.Server.AdminPassword + "\n",
            "login", "--url", shared.Server.Origin, "--username", "admin", "--password-stdin", "--ca-file", home.CaFile, "--scopes", "read,write,admin");
        Assert.True(login.ExitCode == 0, login.ToString());
        var user = await TestAccounts.Create(shared.Server);

        var shown = JsonDocument.Parse((await home.Ok("user", "update", user.Id, "--vm-limit", "3", "--volume-limit", "2",
            "--volume-gigabytes-limit", "40", "--admin", "true", "-o", "json")).Stdout).RootElement;
        Assert.Equal((3, 2, 40, true), (shown.GetProperty("vm_limit").GetInt32(), shown.GetProperty("volume_limit").GetInt32(),
            shown.GetProperty("volume_gigabytes_limit").GetInt32(), shown.GetProperty("admin").GetBoolean()));
        Assert.Equal(3, (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("vm_limit").GetInt32());

        var none = await home.Run("user", "update", user.Id);
        Assert.True(none.ExitCode == 2, none.ToString());
        var bad = await home.Run("user", "update", user.Id, "--admin", "maybe");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        var refused = await home.Run("user", "update", user.Id, "--vm-limit", "1000001");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("vm_limit", refused.Stderr);
    }
}
