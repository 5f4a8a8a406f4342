using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor login` and contexts: a token made for the CLI in a private file, never the password; overrides by environment.</summary>
public sealed class LoginTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Login_stores_a_working_token_in_a_file_only_the_user_can_read_and_never_the_password()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();

        Assert.True(File.Exists(home.ConfigFile), "no config under XDG_CONFIG_HOME");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(home.ConfigFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(home.ConfigFile)!));
        var text = await File.ReadAllTextAsync(home.ConfigFile);
        Assert.DoesNotContain(user.Password, text);
        var context = JsonDocument.Parse(text).RootElement.GetProperty("contexts").GetProperty("default");
        Assert.Equal(shared.Server.Origin, context.GetProperty("url").GetString());
        Assert.Equal(user.Username, context.GetProperty("username").GetString());
        Assert.Equal(home.CaFile, context.GetProperty("ca_file").GetString());

        var token = context.GetProperty("token").GetString()!;
        var account = (await ApiClient.Bearer(shared.Server, token).Get("/account")).Expect(200);
        Assert.Equal(user.Username, account["account"].GetProperty("username").GetString());
        var tokens = (await user.Api.Get("/tokens")).Expect(200)["tokens"];
        var made = Assert.Single(tokens.EnumerateArray());
        Assert.StartsWith("cli-", made.GetProperty("name").GetString());
        Assert.Equal(["read", "write"], made.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_wrong_password_stores_nothing_and_exits_1_with_the_servers_message()
    {
        using var home = new CliHome(shared.Server);
        var user = await TestAccounts.Create(shared.Server);
        var result = await home.RunWithInput("wrong-" + user.Password + "\n",
            "login", "--url", shared.Server.Origin, "--username", user.Username, "--password-stdin", "--ca-file", home.CaFile);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"^Error: .+ \(status 401 unauthorized, request id [A-Za-z0-9]+\)\n$", result.Stderr);
        Assert.False(File.Exists(home.ConfigFile));
    }

    [Fact]
    public async Task Contexts_are_listed_chosen_per_command_and_made_current()
    {
        using var home = new CliHome(shared.Server);
        var first = await home.Login("first");
        var second = await home.Login("second");

        var list = await home.Ok("context", "list");
        Assert.Equal(["Name\tCurrent\tURL\tUsername", $"first\t\t{shared.Server.Origin}\t{first.Username}", $"second\t*\t{shared.Server.Origin}\t{second.Username}"], list.Lines);
        Assert.Equal(second.Username + "\n", (await home.Ok("account", "get", "--format", "username", "--no-header")).Stdout);
        Assert.Equal(first.Username + "\n", (await home.Ok("account", "get", "--format", "username", "--no-header", "--context", "first")).Stdout);

        await home.Ok("context", "use", "first");
        Assert.Equal("first\n", (await home.Ok("context", "current")).Stdout);
        Assert.Equal(first.Username + "\n", (await home.Ok("account", "get", "--format", "username", "--no-header")).Stdout);

        await home.Ok("context", "delete", "first");
        Assert.Equal(["second"], (await home.Ok("context", "list", "--format", "name", "--no-header")).Lines);
        var gone = await home.Run("account", "get", "--context", "first");
        Assert.True(gone.ExitCode == 2, gone.ToString());
        Assert.Equal("Error: no context named first (cloudsfor context list shows them)\n", gone.Stderr);
    }

    [Fact]
    public async Task Environment_variables_override_the_stored_context()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        var other = await TestAccounts.Create(shared.Server);
        var (_, token) = await TestAccounts.CreateToken(other.Api, ["read"]);

        home.Environment["CLOUDSFOR_TOKEN"] = token;
        Assert.Equal(other.Username + "\n", (await home.Ok("account", "get", "--format", "username", "--no-header")).Stdout);

        // No stored context at all: the three variables are enough.
        using var bare = new CliHome(shared.Server);
        bare.Environment["CLOUDSFOR_URL"] = shared.Server.BaseUrl;
        bare.Environment["CLOUDSFOR_TOKEN"] = token;
        bare.Environment["CLOUDSFOR_CA_FILE"] = bare.CaFile;
        Assert.Equal(other.Username + "\n", (await bare.Ok("account", "get", "--format", "username", "--no-header")).Stdout);
    }

    [Fact]
    public async Task Without_a_login_a_command_says_how_to_log_in_and_exits_2()
    {
        using var home = new CliHome(shared.Server);
        var result = await home.Run("vm", "list");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("Error: not logged in: run cloudsfor login --url URL --username NAME, or set CLOUDSFOR_URL and CLOUDSFOR_TOKEN\n", result.Stderr);
    }
}
