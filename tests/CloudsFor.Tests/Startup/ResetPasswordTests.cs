using System.Text.RegularExpressions;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Startup;

/// <summary>
/// `cloudsfor admin reset-password` sets a password in a data folder's store, with the server running or stopped,
/// taking the new password from standard input or the environment (never the command line), or making one.
/// A server started again with another CLOUDSFOR_ADMIN_PASSWORD says that it ignores it.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class ResetPasswordTests
{
    const string NewPassword = "a-new-password-42";

    [Fact]
    public async Task On_a_running_server_the_new_password_works_and_the_old_one_stops()
    {
        using var server = await ServerProcess.StartAsync();
        (await server.Admin.Get("/account")).Expect(200);
        var result = await Cli.Run(new Dictionary<string, string>(), NewPassword + "\n", "admin", "reset-password", "--data", server.DataDir, "--password-stdin");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("cloudsfor: the password of admin is changed\n", result.Stdout);
        (await ApiClient.Basic(server, "admin", NewPassword).Get("/account")).Expect(200);
        // The server remembers a verified password for up to 5 s before it asks the store again.
        await Poll.Until(() => server.Admin.Get("/account"), r => r.Status == 401, "the old password being refused");
    }

    [Fact]
    public async Task On_a_stopped_server_it_takes_the_password_from_the_environment()
    {
        using var server = await ServerProcess.StartAsync();
        Assert.DoesNotContain("CLOUDSFOR_ADMIN_PASSWORD is ignored", server.Output);
        server.Kill();
        var result = await Cli.Run(new Dictionary<string, string> { ["CLOUDSFOR_NEW_PASSWORD"] = NewPassword }, null,
            "admin", "reset-password", "--data", server.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        await server.RestartAsync();
        (await ApiClient.Basic(server, "admin", NewPassword).Get("/account")).Expect(200);
        (await server.Admin.Get("/account")).Expect(401);
        // The harness starts every server with CLOUDSFOR_ADMIN_PASSWORD, which only the first start used.
        Assert.Contains("cloudsfor: CLOUDSFOR_ADMIN_PASSWORD is ignored: it sets admin's password only on the first start, and this store has users already " +
                        "(change a password with cloudsfor admin reset-password)", server.Output);
    }

    [Fact]
    public async Task Without_a_password_it_prints_a_generated_one_once()
    {
        using var server = await ServerProcess.StartAsync();
        var user = await TestAccounts.Create(server);
        var result = await Cli.Run("admin", "reset-password", "--data", server.DataDir, "--user", user.Username);
        Assert.True(result.ExitCode == 0, result.ToString());
        var match = Regex.Match(result.Stdout, $@"^cloudsfor: the password of {user.Username} is now (\S+) \(shown only now\)\n$");
        Assert.True(match.Success, result.ToString());
        (await ApiClient.Basic(server, user.Username, match.Groups[1].Value).Get("/account")).Expect(200);
    }

    [Fact]
    public async Task A_folder_without_a_store_is_refused_and_left_as_it_was()
    {
        using var scratch = new TempFolder();
        var result = await Cli.Run(new Dictionary<string, string>(), NewPassword + "\n", "admin", "reset-password", "--data", scratch.Path, "--password-stdin");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"cloudsfor: no store at {Path.Combine(scratch.Path, "cloudsfor.db")}: give the server's data folder with --data DIR\n", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public async Task An_unknown_user_or_a_short_password_is_one_line_and_exit_2()
    {
        using var server = await ServerProcess.StartAsync();
        var unknown = await Cli.Run(new Dictionary<string, string>(), NewPassword + "\n", "admin", "reset-password", "--data", server.DataDir, "--user", "nobody", "--password-stdin");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal($"cloudsfor: the store {Path.Combine(server.DataDir, "cloudsfor.db")} has no user nobody (choose one with --user NAME)\n", unknown.Stderr);
        var short_ = await Cli.Run(new Dictionary<string, string>(), "short\n", "admin", "reset-password", "--data", server.DataDir, "--password-stdin");
        Assert.Equal(2, short_.ExitCode);
        Assert.Equal("cloudsfor: the new password must be at least 8 characters, as for POST /users\n", short_.Stderr);
        (await server.Admin.Get("/account")).Expect(200);
    }
}
