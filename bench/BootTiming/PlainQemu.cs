using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudsFor.Bench.BootTiming;

/// <summary>
/// Plain QEMU: the command line CloudsFor started a VM with, run again without CloudsFor, each time with its own files (a new
/// overlay on the same base image, a copy of the seed disk, its own monitor, serial log and forwarded ports).
/// </summary>
sealed partial class PlainQemu : IDisposable
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    readonly string[] template;
    readonly string vmFolder, vmId, baseDisk, virtualSize, dir, seed;
    // Stands in for the server's region switch at the other end of the private NIC: it takes the frames and drops them.
    readonly Socket sink = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    readonly string sinkPath;
    readonly Stopwatch clock;
    int runs;

    PlainQemu(string[] template, string vmFolder, string vmId, string baseDisk, string virtualSize, string dir, Stopwatch clock)
    {
        (this.template, this.vmFolder, this.vmId, this.baseDisk, this.virtualSize, this.dir, this.clock) = (template, vmFolder, vmId, baseDisk, virtualSize, dir, clock);
        seed = Path.Combine(dir, "seed.iso");
        sinkPath = Path.Combine(dir, "switch.sock");
        sink.Bind(new UnixDomainSocketEndPoint(sinkPath));
        _ = Task.Run(async () =>
        {
            var frame = new byte[65536];
            try
            {
                while (true)
                    await sink.ReceiveAsync(frame);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // disposed at the end of the run
            }
        });
    }

    /// <summary>Copies what a plain run needs from a running CloudsFor VM: its command line, base image and seed disk.</summary>
    public static async Task<PlainQemu> From(string vmsDir, string vmId, string dir, Stopwatch clock)
    {
        var (_, args) = QemuCommand.Find("cf-" + vmId) ?? throw new InvalidOperationException($"no QEMU process of VM {vmId}");
        var vmFolder = Path.Combine(vmsDir, vmId);
        // -U: the disk is open in the running VM.
        var info = JsonNode.Parse(await Run("qemu-img", ["info", "-U", "--output=json", Path.Combine(vmFolder, "disk.qcow2")]))!;
        var baseDisk = (string?)info["full-backing-filename"] ?? (string)info["backing-filename"]!;
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(vmFolder, "seed.iso"), Path.Combine(dir, "seed.iso"));
        return new PlainQemu(args, vmFolder, vmId, baseDisk, ((long)info["virtual-size"]!).ToString(), dir, clock);
    }

    /// <summary>CloudsFor's command line, which every plain run repeats with its own paths and ports.</summary>
    public string CommandLine => string.Join(' ', template);

    /// <summary>Starts <paramref name="count"/> machines at once; returns when each printed the ready line (clock times, from just before the first start).</summary>
    public async Task<(TimeSpan Start, List<TimeSpan> Ready)> Boot(int count, TimeSpan deadline)
    {
        var folders = new List<string>();
        var commands = new List<string[]>();
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(dir, $"run-{++runs}");
            Directory.CreateDirectory(folder);
            await Run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", baseDisk, Path.Combine(folder, "disk.qcow2"), virtualSize]);
            File.Copy(seed, Path.Combine(folder, "seed.iso"));
            folders.Add(folder);
            commands.Add(Arguments(folder, runs));
        }

        var start = clock.Elapsed;
        // -daemonize: each of these ends once its QEMU is set up; the machine goes on in its child.
        var launches = commands.Select(c => Run(c[0], c[1..])).ToList();
        try
        {
            foreach (var launch in launches)
                await launch;
            var ready = new TimeSpan?[count];
            var until = start + deadline;
            while (ready.Any(r => r is null))
            {
                if (clock.Elapsed > until)
                    throw new TimeoutException($"plain QEMU not ready within {deadline}: see {string.Join(", ", folders)}");
                for (var i = 0; i < count; i++)
                {
                    if (ready[i] is not null)
                        continue;
                    var at = clock.Elapsed;
                    if (ConsoleOf(folders[i]).Contains(Program.ReadyLine, StringComparison.Ordinal))
                        ready[i] = at;
                }
                await Task.Delay(PollInterval);
            }
            return (start, ready.Select(r => r!.Value).ToList());
        }
        finally
        {
            foreach (var folder in folders)
                await Stop(folder);
        }
    }

    /// <summary>The template with this run's paths, name and forwarded ports; everything else as CloudsFor passed it.</summary>
    string[] Arguments(string folder, int run)
    {
        var port = Path.Combine(folder, "port.sock");
        return template.Select(arg =>
        {
            arg = arg.Replace(vmFolder, folder, StringComparison.Ordinal).Replace("cf-" + vmId, $"plain-{run}", StringComparison.Ordinal);
            arg = LocalPath().Replace(arg, "local.path=" + port);
            arg = RemotePath().Replace(arg, "remote.path=" + sinkPath);
            return HostForward().Replace(arg, m => $"hostfwd=tcp:127.0.0.1:{FreePort()}-:");
        }).ToArray();
    }

    static string ConsoleOf(string folder)
    {
        try
        {
            using var file = new FileStream(Path.Combine(folder, "serial.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(file).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    static async Task Stop(string folder)
    {
        var pidFile = Path.Combine(folder, "qemu.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            return;
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
            return;
        }
        // Gone, or a zombie (its command line is empty): either way it no longer takes CPU.
        for (var i = 0; i < 300 && File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0; i++)
            await Task.Delay(100);
        Directory.Delete(folder, recursive: true);
    }

    static async Task<string> Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("local\\.path=[^,]+")]
    private static partial Regex LocalPath();

    [GeneratedRegex("remote\\.path=[^,]+")]
    private static partial Regex RemotePath();

    [GeneratedRegex("hostfwd=tcp:127\\.0\\.0\\.1:\\d+-:")]
    private static partial Regex HostForward();

    public void Dispose()
    {
        sink.Dispose();
        QemuCommand.KillUnder(dir);
    }
}
