using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// Floods of connections and clients that send a byte at a time (slowloris) against a real server with its default
/// connection limits (docs/operator-guide.md, "Connection limits"): other clients keep being answered, and the server
/// closes what abuses it. The figures observed are printed for the closing note, never asserted.
/// </summary>
public sealed class ConnectionFloodTests(ITestOutputHelper output)
{
    const int IdleConnections = 5_000;
    /// <summary>The other client's requests must not run into the rate limits, which are not what these tests are about.</summary>
    static readonly string[] Settings = ["--sim-delay-ms", "0-20", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000"];

    /// <summary>
    /// 5,000 connections that finish the TLS handshake and then say nothing, from ten addresses of 127.0.0.0/8 (500
    /// each, within the default per-address cap): they all stay open, and meanwhile another client lists and creates VMs.
    /// </summary>
    [Fact]
    public async Task Five_thousand_idle_tls_connections_do_not_keep_other_clients_out()
    {
        AssertCanOpen(IdleConnections + 1_000);
        using var server = await ServerProcess.StartAsync(Settings);
        var user = await TestAccounts.Create(server);
        var idle = new Held[IdleConnections];
        try
        {
            var opening = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, IdleConnections), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (i, _) => idle[i] = await OpenTls(server, IPAddress.Parse($"127.0.1.{1 + i % 10}")));
            output.WriteLine($"{IdleConnections} TLS connections opened in {opening.Elapsed.TotalSeconds:F1} s; server resident memory {ServerMemory(server)}");

            var took = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var watch = Stopwatch.StartNew();
                (await user.Api.Get("/vms")).Expect(200);
                took.Add(watch.Elapsed.TotalMilliseconds);
            }
            var created = Stopwatch.StartNew();
            await Vms.Create(user.Api);
            output.WriteLine($"with them open: GET /vms {Figures(took)}; POST /vms {created.Elapsed.TotalMilliseconds:F1} ms");

            // An idle connection is rightly closed after the keep-alive timeout (120 s): on a slow machine the first
            // ones may have waited that long, so only those opened since are held to staying open.
            var recent = idle.Where(c => Stopwatch.GetElapsedTime(c.OpenedAt) < TimeSpan.FromSeconds(100)).ToList();
            var closed = recent.Count(Closed);
            output.WriteLine($"of the {recent.Count} opened in the last 100 s, closed by the server by then: {closed}; of all {IdleConnections}: {idle.Count(Closed)}");
            Assert.NotEmpty(recent);
            Assert.Equal(0, closed);
        }
        finally
        {
            foreach (var stream in idle)
                stream?.Dispose();
        }
    }

    /// <summary>Requests whose headers come a byte every half second never finish: the server cuts them off, and answers others meanwhile.</summary>
    [Fact]
    public async Task Headers_sent_a_byte_at_a_time_are_cut_off_while_others_are_answered()
    {
        using var server = await ServerProcess.StartAsync(Settings);
        var user = await TestAccounts.Create(server);
        var slow = await SlowClients(server, 200, "GET /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\n", trickle: new string('x', 10_000));
        await AnsweredMeanwhile(user, slow);
    }

    /// <summary>A POST whose Content-Length promises 200 bytes that come one a second: cut off by the minimum body rate.</summary>
    [Fact]
    public async Task A_body_sent_a_byte_a_second_is_cut_off_while_others_are_answered()
    {
        using var server = await ServerProcess.StartAsync(Settings);
        var user = await TestAccounts.Create(server);
        var head = $"POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {user.Api.Authorization}\r\n" +
                   "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n";
        var slow = await SlowClients(server, 50, head, trickle: "{\"name\":\"" + new string('a', 189) + "\"}", TimeSpan.FromSeconds(1));
        await AnsweredMeanwhile(user, slow);
    }

    /// <summary>
    /// With a cap of 50 connections per address, the 51st from 127.0.0.2 is closed before a byte is exchanged, while
    /// 127.0.0.1 is still served; once one of the 50 closes, 127.0.0.2 may connect again.
    /// </summary>
    [Fact]
    public async Task Connections_from_one_address_beyond_its_cap_are_closed_at_once()
    {
        using var server = await ServerProcess.StartAsync([.. Settings, "--max-connections-per-ip", "50"]);
        var user = await TestAccounts.Create(server);
        var crowd = IPAddress.Parse("127.0.0.2");
        var open = new List<Held>();
        try
        {
            for (var i = 0; i < 50; i++)
                open.Add(await OpenTls(server, crowd));
            // Closed before the handshake: a connection merely left to the handshake timeout would still complete one.
            for (var i = 0; i < 10; i++)
            {
                var watch = Stopwatch.StartNew();
                Assert.Null(await TryOpenTls(server, crowd));
                if (i == 0)
                    output.WriteLine($"connection 51 from {crowd}: handshake refused (the server closed it) after {watch.Elapsed.TotalMilliseconds:F1} ms");
            }
            (await user.Api.Get("/vms")).Expect(200);
            Assert.Equal(0, open.Count(Closed));

            open[0].Dispose();
            open.RemoveAt(0);
            var again = await Poll.Until(() => TryOpenTls(server, crowd), s => s is not null, $"a connection from {crowd} after one of its 50 closed");
            open.Add(again!);
        }
        finally
        {
            foreach (var stream in open)
                stream.Dispose();
        }
    }

    /// <summary>
    /// Connections that each send <paramref name="head"/> at once and then <paramref name="trickle"/> a byte per
    /// <paramref name="pace"/> (half a second by default) until the server hangs up; each task ends with what the server sent.
    /// </summary>
    async Task<List<Task<string>>> SlowClients(ServerProcess server, int count, string head, string trickle, TimeSpan? pace = null)
    {
        var clients = new List<Task<string>>();
        for (var i = 0; i < count; i++)
        {
            var connection = await OpenTls(server, IPAddress.Loopback);
            clients.Add(Trickle(connection.Tls, Encoding.ASCII.GetBytes(head), Encoding.ASCII.GetBytes(trickle), pace ?? TimeSpan.FromMilliseconds(500)));
        }
        output.WriteLine($"{count} slow clients connected");
        return clients;
    }

    static async Task<string> Trickle(SslStream stream, byte[] head, byte[] trickle, TimeSpan pace)
    {
        using (stream)
        {
            var received = new MemoryStream();
            var reading = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                try
                {
                    int n;
                    while ((n = await stream.ReadAsync(buffer)) > 0)
                        received.Write(buffer, 0, n);
                }
                catch (IOException)
                {
                    // A reset ends the connection as a close does.
                }
            });
            try
            {
                await stream.WriteAsync(head);
                await stream.FlushAsync();
                // The pause paces the client as an attacker would; it waits for no state of the server's.
                for (var i = 0; i < trickle.Length && !reading.IsCompleted; i++)
                {
                    await stream.WriteAsync(trickle.AsMemory(i, 1));
                    await stream.FlushAsync();
                    await Task.WhenAny(reading, Task.Delay(pace));
                }
            }
            catch (IOException)
            {
                // Writing to a connection the server closed.
            }
            if (!reading.IsCompleted)
                return "the client ran out of bytes to send before the server closed the connection";
            await reading;
            return "closed by the server" + (received.Length > 0 ? " after sending: " + Encoding.Latin1.GetString(received.ToArray()).Split("\r\n")[0] : ", with no answer");
        }
    }

    /// <summary>While the slow clients trickle, another client is answered; then every slow connection must have been closed by the server.</summary>
    async Task AnsweredMeanwhile(TestUser user, List<Task<string>> slow)
    {
        var took = new List<double>();
        var started = Stopwatch.StartNew();
        while (took.Count < 20 || (took.Count < 200 && slow.Any(t => !t.IsCompleted)))
        {
            var watch = Stopwatch.StartNew();
            (await user.Api.Get("/vms")).Expect(200);
            took.Add(watch.Elapsed.TotalMilliseconds);
            await Task.WhenAny(Task.WhenAll(slow), Task.Delay(100));
        }
        var all = Task.WhenAll(slow);
        var deadline = TimeSpan.FromSeconds(90);
        if (await Task.WhenAny(all, Task.Delay(deadline)) != all)
            Assert.Fail($"{slow.Count(t => !t.IsCompleted)} of {slow.Count} slow clients were still connected {deadline.TotalSeconds} s after the other client's last request");
        var ends = await all;
        output.WriteLine($"slow clients all closed {started.Elapsed.TotalSeconds:F1} s after the first request of the other client; meanwhile GET /vms {Figures(took)}");
        foreach (var end in ends.Distinct())
            output.WriteLine($"{ends.Count(e => e == end)} slow clients: {end}");
        Assert.All(ends, end => Assert.StartsWith("closed by the server", end));
    }

    static async Task<Socket> Connect(ServerProcess server, IPAddress from)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Any address of 127.0.0.0/8 is this machine's, so a test can be several clients.
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connection after its TLS handshake, with its socket to look at.</summary>
    sealed record Held(Socket Socket, SslStream Tls, long OpenedAt) : IDisposable
    {
        public void Dispose() => Tls.Dispose();
    }

    static async Task<Held> OpenTls(ServerProcess server, IPAddress from)
    {
        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(server.DataDir, "tls", "ca.pem")));
        var socket = await Connect(server, from);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 c && chain.Build(c);
        });
        try
        {
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            return new Held(socket, tls, Stopwatch.GetTimestamp());
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    static async Task<Held?> TryOpenTls(ServerProcess server, IPAddress from)
    {
        try
        {
            return await OpenTls(server, from);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return null;
        }
    }

    /// <summary>Whether the server has ended a connection the client holds: readable with nothing to read means an end.</summary>
    static bool Closed(Held connection) =>
        connection.Socket.Poll(0, SelectMode.SelectRead) && connection.Socket.Available == 0;

    static string Figures(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return $"{sorted.Count} requests, median {sorted[sorted.Count / 2]:F1} ms, slowest {sorted[^1]:F1} ms";
    }

    /// <summary>The server's resident memory, from /proc (the server is the process started with its data folder).</summary>
    static string ServerMemory(ServerProcess server)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(server.DataDir, StringComparison.Ordinal))
                    continue;
                var line = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                    return line["VmRSS:".Length..].Trim();
            }
            catch (IOException)
            {
                // A process that ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return "unknown";
    }

    /// <summary>The test and the server (which inherits the limit) each hold one socket per connection: ulimit -n, which .NET raises to the hard limit.</summary>
    static void AssertCanOpen(int files)
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.True(soft == "unlimited" || long.Parse(soft) >= files,
            $"this test opens {IdleConnections} connections: it needs ulimit -n of at least {files}, and the limit is {soft}");
    }
}
