using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// The real server as a child process on a loopback port with its own temporary data folder,
/// the way an operator runs it. Tests talk to it only over HTTPS, trusting only the CA it
/// generated, so the TLS setup is exercised on every request. When the tests run on PostgreSQL
/// (<see cref="TestDatabase"/>) it also gets a database of its own, kept across restarts like the data folder.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    const string ReadyLine = "cloudsfor: listening on";
    static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    readonly string[] extraArgs;
    readonly StringBuilder output = new();
    readonly TempFolder? data;
    TestDatabase? database;
    TestDatabase? sharedDatabase;
    Process? process;
    HttpClient? client;

    ServerProcess(TempFolder? data, string dataDir, int port, string[] extraArgs, string adminPassword)
    {
        this.data = data;
        DataDir = dataDir;
        Port = port;
        DnsPort = FreeDnsPort();
        this.extraArgs = extraArgs;
        AdminPassword = adminPassword;
    }

    public string DataDir { get; }

    /// <summary>The --database URL the server was started with, or null when it keeps SQLite in <see cref="DataDir"/>.</summary>
    public string? Database => (sharedDatabase ?? database)?.Url;

    public int Port { get; }

    /// <summary>Where its DNS server answers (UDP and TCP on 127.0.0.1); each server has its own, so parallel servers never collide.</summary>
    public int DnsPort { get; }
    public string AdminPassword { get; }

    /// <summary>The API root, e.g. https://127.0.0.1:5555/api/v1 (no trailing slash).</summary>
    public string BaseUrl => $"https://127.0.0.1:{Port}/api/v1";

    public string Origin => $"https://127.0.0.1:{Port}";

    /// <summary>A client that trusts only DataDir/tls/ca.pem; replaced on restart so no dead pooled connection is reused.</summary>
    public HttpClient Client => client ?? throw new InvalidOperationException("the server is not running");

    public ApiClient Admin => ApiClient.Basic(this, "admin", AdminPassword);

    public ApiClient Anonymous => ApiClient.Anonymous(this);

    /// <summary>Everything the server wrote to stdout and stderr so far, for assertions and failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public bool HasExited => process is null || process.HasExited;

    /// <summary>The server's process id, for tools that attach to it (strace).</summary>
    public int Pid => process?.Id ?? throw new InvalidOperationException("the server is not running");

    /// <summary>Starts a server on a fresh data folder; extra arguments such as "--sim-delay-ms", "0-50" go after the defaults.</summary>
    public static Task<ServerProcess> StartAsync(params string[] extraArgs) => Start(null, extraArgs);

    /// <summary>Starts a server on a data folder the test made (a small file system it mounted) and removes itself.</summary>
    public static Task<ServerProcess> StartIn(string dataDir, params string[] extraArgs) => Start(null, extraArgs, dataDir);

    /// <summary>
    /// Starts one of several servers on a shared database (each with its own data folder, port and DNS port). The test
    /// owns the database: this server does not drop it. The first server to start sets the admin's password.
    /// </summary>
    public static Task<ServerProcess> StartOnDatabase(TestDatabase shared, params string[] extraArgs) => Start(shared, extraArgs);

    /// <summary>
    /// Starts a server on a data folder that <paramref name="prepare"/> fills first (given its path), as an older CloudsFor
    /// left it. The store there decides the admin's password, not <see cref="AdminPassword"/>.
    /// </summary>
    public static Task<ServerProcess> StartOnPreparedData(Action<string> prepare, params string[] extraArgs) => Start(null, extraArgs, prepare: prepare);

    static async Task<ServerProcess> Start(TestDatabase? shared, string[] extraArgs, string? dataDir = null, Action<string>? prepare = null)
    {
        // One password for every attempt: an attempt that lost its port had already created admin in a shared database
        // (or a given data folder) with its password, which a retry with a new one could never log in with (401).
        var adminPassword = "admin-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        for (var attempt = 1; ; attempt++)
        {
            var data = dataDir is null ? new TempFolder("cloudsfor-test-") : null;
            var server = new ServerProcess(data, dataDir ?? data!.Path, FreePort(), extraArgs, adminPassword) { sharedDatabase = shared };
            try
            {
                prepare?.Invoke(server.DataDir);
                await server.LaunchAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.LostItsPort)
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// A free port is free only until someone takes it: between our probe and the server's bind, another
    /// process (or an outgoing connection's ephemeral port) may. Then the start is simply tried again.
    /// </summary>
    bool LostItsPort => Output.Contains("address already in use", StringComparison.Ordinal) || Output.Contains("cannot serve DNS on", StringComparison.Ordinal);

    /// <summary>SIGKILL: no shutdown hooks run, exactly like a crash or a power cut.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        client?.Dispose();
        client = null;
    }

    /// <summary>SIGTERM, as systemd or Ctrl-C stop it: a graceful shutdown. Returns the exit code once the process has ended.</summary>
    public async Task<int> StopAsync()
    {
        var running = process ?? throw new InvalidOperationException("the server is not running");
        using (var kill = Process.Start("kill", ["-TERM", running.Id.ToString()]))
            await kill.WaitForExitAsync();
        await running.WaitForExitAsync();
        client?.Dispose();
        client = null;
        return running.ExitCode;
    }

    /// <summary>Kills the server if it still runs, then starts it again on the same data folder and port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        Append("---- restart ----");
        await LaunchAsync();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        process?.Dispose();
        database?.Dispose();
        data?.Dispose();
    }

    async Task LaunchAsync()
    {
        if (sharedDatabase is null)
            database ??= await TestDatabase.CreateIfPostgres();
        else if (!File.Exists(Path.Combine(DataDir, "server.key")))
            await File.WriteAllTextAsync(Path.Combine(DataDir, "server.key"), sharedDatabase.ServerKey);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerAssembly());
        string[] store = Database is { } url ? ["--database", url] : [];
        foreach (var arg in new[] { "serve", "--data", DataDir, "--listen", $"127.0.0.1:{Port}", "--dns-listen", $"127.0.0.1:{DnsPort}" }.Concat(store).Concat(extraArgs))
            start.ArgumentList.Add(arg);
        // The test runner's own environment must not reconfigure the server behind the test's back.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSFOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["CLOUDSFOR_ADMIN_PASSWORD"] = AdminPassword;
        // No diagnostics pipes in /tmp: a server killed with SIGKILL could not remove them.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            Append(e.Data);
            if (e.Data.Contains(ReadyLine, StringComparison.Ordinal))
                ready.TrySetResult();
        };
        started.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Append(e.Data);
        };
        started.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"the server exited with code {SafeExitCode(started)} before it was ready:\n{Output}"));
        process?.Dispose();
        process = started;
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, Task.Delay(StartDeadline));
        if (finished != ready.Task)
        {
            Kill();
            throw new TimeoutException($"the server did not print '{ReadyLine}' within {StartDeadline.TotalSeconds} s:\n{Output}");
        }
        await ready.Task;
        client = TrustedClient.For(Path.Combine(DataDir, "tls", "ca.pem"));
    }

    void Append(string line)
    {
        lock (output)
            output.AppendLine(line);
    }

    static string SafeExitCode(Process p)
    {
        try
        {
            return p.ExitCode.ToString();
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    /// <summary>The server built next to the tests (the project reference copies it, with its runtimeconfig, into our output).</summary>
    public static string ServerAssembly()
    {
        var dir = Path.GetDirectoryName(typeof(ServerProcess).Assembly.Location)!;
        var path = Path.Combine(dir, "cloudsfor.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException("cloudsfor.dll is not next to the test assembly; build the test project", path);
        return path;
    }

    /// <summary>A port free for both TCP and UDP.</summary>
    static int FreeDnsPort()
    {
        while (true)
        {
            var port = FreePort();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP; try another.
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
