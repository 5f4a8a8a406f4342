using System.Text.RegularExpressions;

namespace CloudsFor.Tests.Startup;

/// <summary>
/// `--help` or `-h` anywhere on the line prints the usage on standard output and exits 0, doing nothing else; the
/// usage lists every option with its environment variable, and the operator guide documents each of them.
/// </summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("serve --help")]
    [InlineData("serve -h")]
    [InlineData("serve --data DATA --help")]
    [InlineData("serve --data DATA --listen nonsense -h")]
    [InlineData("serve --no-such-option --help")]
    [InlineData("admin --help")]
    [InlineData("admin reset-password --data DATA -h")]
    public async Task Help_anywhere_prints_the_usage_and_exits_0(string line)
    {
        using var scratch = new TempFolder();
        var result = await Cli.Run(line.Replace("DATA", scratch.Sub("data")).Split(' '));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("usage: cloudsfor ", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.False(Directory.Exists(scratch.Sub("data")), "help made the data folder");
    }

    [Fact]
    public async Task Serve_help_lists_every_option_with_its_environment_variable()
    {
        var help = (await Cli.Run("serve", "--help")).Stdout;
        foreach (var option in ServeOptions.All)
            Assert.Matches($@"(?m)^  {Regex.Escape(option.Name)} .*\({Regex.Escape(option.Env)}[,=)]", help);
        Assert.Contains("CLOUDSFOR_ADMIN_PASSWORD", help);
    }

    /// <summary>Reads the options and variables out of `--help` itself, so what the program offers and what the guide says cannot drift apart.</summary>
    [Theory]
    [InlineData("docs/operator-guide.md")]
    public async Task Every_option_and_variable_in_help_is_documented(string document)
    {
        var help = (await Cli.Run("--help")).Stdout;
        var options = Regex.Matches(help, @"(?m)^\s+(--[a-z][a-z-]*)").Select(m => m.Groups[1].Value).ToHashSet();
        var variables = Regex.Matches(help, @"CLOUDSFOR_[A-Z_]+").Select(m => m.Value).ToHashSet();
        Assert.Subset(options, ServeOptions.All.Select(o => o.Name).ToHashSet());
        Assert.Contains("CLOUDSFOR_TLS_CERT", variables);
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), document));
        var missing = options.Concat(variables).Where(name => !Regex.IsMatch(text, $@"`{Regex.Escape(name)}(?![A-Za-z_-])")).ToList();
        Assert.True(missing.Count == 0, $"{document} does not mention (in backquotes): {string.Join(", ", missing)}");
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloudsFor.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException("no CloudsFor.slnx above " + AppContext.BaseDirectory);
    }
}
