using System.Diagnostics;

namespace CloudsFor.Compute.Qemu;

/// <summary>The host programs the driver runs, each with its arguments as a list (no shell, no quoting).</summary>
public static class HostTools
{
    public static readonly (string Program, string Package)[] Required =
    [
        ("qemu-system-x86_64", "qemu-system-x86"), ("qemu-img", "qemu-utils"), ("genisoimage", "genisoimage"),
        ("busybox", "busybox-static"), ("mkfs.ext4", "e2fsprogs"), ("cpio", "cpio"),
        ("dropbear", "dropbear-bin"), ("lz4", "lz4"),
    ];

    /// <summary>The Debian packages whose programs are missing; empty when the host is ready.</summary>
    public static IReadOnlyList<string> MissingPackages() =>
        Required.Where(t => !OnPath(t.Program)).Select(t => t.Package).Distinct().ToList();

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Runs a program to completion; a non-zero exit is a DriverException with what it printed.</summary>
    public static async Task<string> Run(string program, IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new DriverException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new DriverException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
        return await stdout;
    }

    /// <summary>The pid in a pid file if that process is alive and its command line mentions <paramref name="marker"/> (so a reused pid is not mistaken).</summary>
    public static int? LivePid(string pidFile, string marker)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            return null;
        return CommandLineOf(pid)?.Contains(marker, StringComparison.Ordinal) == true ? pid : null;
    }

    public static string? CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static async Task<bool> WaitForExit(int pid, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Gone(pid))
                return true;
            await Task.Delay(50, ct);
        }
        return false;
    }

    /// <summary>Exited, or a zombie waiting for a parent that is not us.</summary>
    public static bool Gone(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static void Kill(int pid)
    {
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // already gone
        }
    }
}
