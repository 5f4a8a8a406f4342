using System.ComponentModel;
using System.Diagnostics;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>Programs from Debian packages that tests call (test.sh installs them): exit code and everything printed.</summary>
public static class Tools
{
    public static Task<(int ExitCode, string Output)> Run(string program, params string[] args) => Run(Poll.DefaultDeadline, program, args);

    /// <summary>Runs a program that must end by itself; one still running at the deadline is killed and the test fails.</summary>
    public static async Task<(int ExitCode, string Output)> Run(TimeSpan deadline, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Assert.Fail($"{program} is not installed; ./test.sh installs what the tests need (dnsutils, bind9-utils)");
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
                Assert.Fail($"{program} {string.Join(' ', args)} was still running after {deadline.TotalSeconds} s");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
