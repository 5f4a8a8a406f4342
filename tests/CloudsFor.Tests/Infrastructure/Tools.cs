using System.ComponentModel;
using System.Diagnostics;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>What a program run by a test did.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
}

/// <summary>Programs that tests call (test.sh installs the Debian ones): exit code and everything printed.</summary>
public static class Tools
{
    const string DebianHint = "./test.sh installs what the tests need (dnsutils, bind9-utils)";

    public static Task<(int ExitCode, string Output)> Run(string program, params string[] args) => Run(Poll.DefaultDeadline, program, args);

    /// <summary>Runs a program that must end by itself; what it printed on stdout and stderr comes back as one text.</summary>
    public static async Task<(int ExitCode, string Output)> Run(TimeSpan deadline, string program, params string[] args)
    {
        var result = await Start(deadline, program, args, missingHint: DebianHint);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="folder"/> (else here) with extra environment variables; one still
    /// running at the deadline is killed and the test fails. <paramref name="missingHint"/> says how to get a program that
    /// is not installed.
    /// </summary>
    public static async Task<ToolResult> Start(TimeSpan deadline, string program, IEnumerable<string> args, string? folder = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null, string missingHint = DebianHint)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (folder is not null)
            start.WorkingDirectory = folder;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{program} cannot start ({e.Message}); {missingHint}");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var giveUp = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', args)} was still running after {deadline.TotalSeconds} s:\n{await stdout}\n{await stderr}");
            }
            return new ToolResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
