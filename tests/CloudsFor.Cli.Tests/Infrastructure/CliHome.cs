using System.Diagnostics;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests.Infrastructure;

/// <summary>What one run of the CLI did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout:\n{Stdout}--- stderr:\n{Stderr}";
}

/// <summary>
/// A user's machine for the CLI: its own HOME and XDG_CONFIG_HOME in a temporary folder, and no CLOUDSFOR_* variables
/// from the test runner. Runs the real `cloudsfor` (the dll built next to the tests) as a child process, stdout piped.
/// </summary>
public sealed class CliHome : IDisposable
{
    readonly TempFolder folder = new("cloudsfor-cli-home-");

    public CliHome(ServerProcess server) => Server = server;

    public ServerProcess Server { get; }

    /// <summary>How long one run may take before the test gives up on it (a real VM's boot under TCG needs more).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(2);

    public string Home => folder.Path;

    public string ConfigHome => Path.Combine(folder.Path, "xdg-config");

    public string ConfigFile => Path.Combine(ConfigHome, "cloudsfor", "config.json");

    public string CaFile => Path.Combine(Server.DataDir, "tls", "ca.pem");

    /// <summary>Variables for every run of this home (CLOUDSFOR_TOKEN and such, set by a test).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Task<CliResult> Run(params string[] args) => RunWithInput(null, args);

    public async Task<CliResult> RunWithInput(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerProcess.ServerAssembly());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSFOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["HOME"] = Home;
        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var giveUp = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(giveUp.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cloudsfor {string.Join(' ', args)} still ran after {Deadline.TotalSeconds} s:\n{await stdout}{await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and insists on exit code 0, showing everything the CLI said when not.</summary>
    public async Task<CliResult> Ok(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, $"cloudsfor {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>A new user of its own, logged in through `cloudsfor login` (as the given context, or the default one).</summary>
    public async Task<TestUser> Login(string? context = null)
    {
        var user = await TestAccounts.Create(Server);
        string[] args = ["login", "--url", Server.Origin, "--username", user.Username, "--password-stdin", "--ca-file", CaFile];
        var result = await RunWithInput(user.Password + "\n", context is null ? args : [.. args, "--context", context]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return user;
    }

    public void Dispose() => folder.Dispose();
}
