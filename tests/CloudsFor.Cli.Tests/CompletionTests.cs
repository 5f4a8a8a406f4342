using System.CommandLine;
using System.Diagnostics;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor completion bash`, sourced into a real bash with COMP_WORDS set as bash sets them on Tab; and --help everywhere.</summary>
public sealed class CompletionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Theory]
    [InlineData("cloudsfor v", "vm volume")]
    [InlineData("cloudsfor vm power-", "power-on power-off power-cycle")]
    [InlineData("cloudsfor vm create web-1 --si", "--size")]
    [InlineData("cloudsfor --context size vm power-", "power-on power-off power-cycle")]
    [InlineData("cloudsfor vm list -o ", "table json")]
    [InlineData("cloudsfor record create example.com --record-t", "--record-tag --record-ttl --record-type")]
    [InlineData("cloudsfor completion ", "bash zsh")]
    public async Task Bash_completes_commands_options_and_values(string line, string expected)
    {
        using var home = new CliHome(shared.Server);
        var script = Path.Combine(home.Home, "cloudsfor.bash");
        await File.WriteAllTextAsync(script, (await home.Ok("completion", "bash")).Stdout);

        var words = line.Split(' ');
        var program = $"""
            source '{script}'
            COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))})
            COMP_CWORD={words.Length - 1}
            _cloudsfor
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}" | sort | tr '\n' ' '
            """;
        var start = new ProcessStartInfo("bash", ["--norc", "--noprofile", "-c", program]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0 && errors == "", $"bash: exit {bash.ExitCode}: {errors}");
        Assert.Equal(string.Join(' ', expected.Split(' ').Order(StringComparer.Ordinal)), output.Trim());
    }

    [Fact]
    public async Task Every_command_has_help_with_an_example()
    {
        using var home = new CliHome(shared.Server);
        var leaves = new List<string>();
        void Walk(Command command, string path)
        {
            if (command.Subcommands.Count == 0)
                leaves.Add(path);
            foreach (var sub in command.Subcommands)
                Walk(sub, $"{path} {sub.Name}".Trim());
        }
        Walk(CloudsFor.Cli.Cli.Build(), "");
        Assert.Contains("vm power-cycle", leaves);

        var missing = new List<string>();
        foreach (var chunk in leaves.Chunk(8))
            await Task.WhenAll(chunk.Select(async path =>
            {
                var help = await home.Run([.. path.Split(' '), "--help"]);
                if (help.ExitCode != 0 || !help.Stdout.Contains($"\nExamples:\n  cloudsfor {path}"))
                    lock (missing)
                        missing.Add(path);
            }));
        Assert.True(missing.Count == 0, "without help or example: " + string.Join(", ", missing));
    }
}
