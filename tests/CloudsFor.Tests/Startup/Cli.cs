using System.Diagnostics;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Startup;

/// <summary>
/// Runs the `cloudsfor` program to its exit the way an operator's shell would: standard output and error kept apart,
/// and no CLOUDSFOR_* variable but those a test gives, so the test runner's environment cannot change the answer.
/// </summary>
public static class Cli
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout:\n{Stdout}--- stderr:\n{Stderr}";
    }

    public static Task<Result> Run(params string[] args) => Run(new Dictionary<string, string>(), null, args);

    public static async Task<Result> Run(IReadOnlyDictionary<string, string> env, string? stdin, params string[] args)
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
        foreach (var (key, value) in env)
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
            await process.WaitForExitAsync();
            Assert.Fail($"cloudsfor {string.Join(' ', args)} was still running after {Deadline.TotalSeconds} s:\n{await stdout}{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A temporary folder removed with everything in it when the test ends, passed or failed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), TestAccounts.UniqueName("cloudsfor-test-"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
