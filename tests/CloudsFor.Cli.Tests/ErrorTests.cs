using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>Exit codes: 1 with the server's message and request id, 2 for a bad command line.</summary>
public sealed class ErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_missing_vm_exits_1_with_the_servers_message_and_request_id()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();

        var result = await home.Run("vm", "get", "0123456789abcdef0123456789abcdef", "--verbose");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Stdout);
        var requestId = System.Text.RegularExpressions.Regex.Match(result.Stderr, @"< 404 Not Found GET \S+ \(request id ([a-f0-9]+),").Groups[1].Value;
        Assert.NotEqual("", requestId);
        Assert.EndsWith($"\nError: The resource you were accessing could not be found. (status 404 not_found, request id {requestId})\n", result.Stderr);
    }

    [Fact]
    public async Task Invalid_fields_exit_1_with_one_line_per_field()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();

        var result = await home.Run("vm", "create", "web-1", "--size", "no-such-size", "--image", "tiny");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Error: .+ \(status 422 unprocessable_entity, request id [a-f0-9]+\)$", lines[0]);
        Assert.StartsWith("  size: ", Assert.Single(lines[1..]));
    }

    [Theory]
    [InlineData("Error: Unrecognized command or argument '--no-such-flag'.", "vm", "list", "--no-such-flag")]
    [InlineData("Error: Required argument missing for command: 'get'.", "vm", "get")]
    [InlineData("Error: Option '--image' is required.", "vm", "create", "x", "--size", "s-1vcpu-512mb")]
    [InlineData("Error: --timeout: 'soon' is not a duration such as 90s, 10m or 1h", "vm", "power-off", "x", "--timeout", "soon")]
    public async Task A_bad_command_line_exits_2_before_calling_the_server(string error, params string[] args)
    {
        using var home = new CliHome(shared.Server);
        var result = await home.Run(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(error, result.Stderr.Split('\n')[0]);
    }

    [Fact]
    public async Task An_unknown_column_in_format_exits_2_and_names_the_columns()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        var result = await home.Run("size", "list", "--format", "slug,colour");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("Error: --format: no column colour; the columns are Slug,Memory,VCPUs,Disk,PriceMonthly,Regions,PriceHourly,Available,Description\n", result.Stderr);
    }

    [Fact]
    public async Task Verbose_shows_each_request_and_answer_but_never_the_token()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        var token = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(home.ConfigFile)).RootElement
            .GetProperty("contexts").GetProperty("default").GetProperty("token").GetString()!;

        var result = await home.Ok("vm", "list", "--verbose");

        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"> GET {shared.Server.BaseUrl}/vms?per_page=200", lines[0]);
        Assert.Matches($@"^< 200 OK GET {System.Text.RegularExpressions.Regex.Escape(shared.Server.BaseUrl)}/vms\?per_page=200 \(request id [a-f0-9]+, \d+ ms\)$", lines[1]);
        Assert.DoesNotContain(token, result.Stderr + result.Stdout);
        Assert.DoesNotContain("Bearer", result.Stderr);
    }
}

/// <summary>A server whose simulated operations take long enough that a short --timeout runs out first.</summary>
public sealed class SlowServer() : ServerFixture("--sim-delay-ms", "6000", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000");

public sealed class TimeoutTests(SlowServer slow) : IClassFixture<SlowServer>
{
    [Fact]
    public async Task A_wait_past_its_timeout_exits_3_and_says_what_it_waited_for()
    {
        using var home = new CliHome(slow.Server);
        await home.Login();

        var result = await home.Run("vm", "create", "slow-1", "--size", "s-1vcpu-512mb", "--image", "tiny", "--wait", "--timeout", "1s");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Matches(@"^Error: timed out after 1s waiting for action [a-f0-9]{32} \(create\); it goes on in the background\n$", result.Stderr);
    }
}
