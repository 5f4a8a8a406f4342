using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Dns;

/// <summary>A server of its own: a flood of UDP packets fills socket buffers, and other tests' queries must not be lost in it.</summary>
public sealed class FloodedServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public DateTime StartedAt { get; private set; }

    public async Task InitializeAsync()
    {
        StartedAt = DateTime.UtcNow;
        Server = await ServerProcess.StartAsync(SharedServer.Settings);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Packets no resolver sends: garbage, cut-off questions, compression loops, absurd section counts,
/// responses, other opcodes. Each is dropped or answered with a bare FORMERR/NOTIMP header, and
/// thousands of them leave the server answering as before.
/// </summary>
public sealed class HostilePacketTests(FloodedServer flooded) : IClassFixture<FloodedServer>
{
    ServerProcess Server => flooded.Server;
    IPEndPoint Dns => new(IPAddress.Loopback, Server.DnsPort);

    static byte[] Header(ushort id, ushort flags, ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0)
    {
        var h = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(h, id);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), qd);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), an);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(8), ns);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(10), ar);
        return h;
    }

    static byte[] Name(string name) =>
        [.. name.Split('.').SelectMany(l => new[] { (byte)l.Length }.Concat(Encoding.ASCII.GetBytes(l))), 0];

    static byte[] Query(ushort id, string name, ushort type = 1, ushort cls = 1, ushort flags = 0) =>
        [.. Header(id, flags, 1), .. Name(name), (byte)(type >> 8), (byte)type, (byte)(cls >> 8), (byte)cls];

    async Task<byte[]?> Ask(byte[] packet, int waitMs = 2000)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(Dns);
        await udp.SendAsync(packet);
        using var timeout = new CancellationTokenSource(waitMs);
        try
        {
            return (await udp.ReceiveAsync(timeout.Token)).Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    const int PacketScreenFormErr = 1;

    static int Rcode(byte[] reply) => reply[3] & 0x0F;

    [Fact]
    public async Task Each_kind_of_bad_packet_is_dropped_or_answered_with_a_bare_error()
    {
        var user = await TestAccounts.Create(Server);
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.1");

        var good = await Ask(Query(1, d));
        Assert.Equal((0, 1), (Rcode(good!), BinaryPrimitives.ReadUInt16BigEndian(good.AsSpan(6))));

        // Counts a query cannot have: FORMERR with the same id, nothing else.
        var huge = await Ask([.. Header(2, 0, 65535, 65535, 65535, 65535), .. Name(d)]);
        Assert.Equal((2, 0x80, PacketScreenFormErr, 12), (BinaryPrimitives.ReadUInt16BigEndian(huge!), huge![2] & 0x80, Rcode(huge), huge.Length));
        Assert.Equal(PacketScreenFormErr, Rcode((await Ask([.. Header(3, 0, 0)]))!));
        Assert.Equal(PacketScreenFormErr, Rcode((await Ask([.. Header(4, 0, 2), .. Query(4, d)[12..], .. Query(4, d)[12..]]))!));
        // A question that points at itself, or runs off the end of the packet.
        Assert.Equal(PacketScreenFormErr, Rcode((await Ask([.. Header(5, 0, 1), 0xC0, 0x0C, 0, 1, 0, 1]))!));
        Assert.Equal(PacketScreenFormErr, Rcode((await Ask([.. Header(6, 0, 1), 7, (byte)'e', (byte)'x']))!));
        // Another opcode (UPDATE): NOTIMP, keeping the opcode.
        var update = await Ask(Query(7, d, flags: 5 << 11));
        Assert.Equal((4, 5), (Rcode(update!), (update![2] >> 3) & 0x0F));
        // Zone transfers and other classes are refused.
        Assert.Equal(5, Rcode((await Ask(Query(8, d, type: 252)))!));
        Assert.Equal(5, Rcode((await Ask(Query(9, d, cls: 3)))!));
        // Never an answer to a response (no reflection loops), nor to a packet shorter than a header.
        Assert.Null(await Ask(Query(10, d, flags: 0x8000), 300));
        Assert.Null(await Ask([1, 2, 3], 300));
    }

    [Fact]
    public async Task Thousands_of_hostile_packets_leave_the_server_answering()
    {
        var user = await TestAccounts.Create(Server);
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.1");
        var random = new Random(5353);
        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            udp.Connect(Dns);
            for (var i = 0; i < 5000; i++)
            {
                var id = (ushort)i;
                byte[] packet = (i % 8) switch
                {
                    0 => RandomBytes(random, random.Next(0, 600)),
                    1 => Query(id, d)[..random.Next(12, Query(id, d).Length)],
                    2 => [.. Header(id, 0, 1), 0xC0, (byte)random.Next(0, 20), 0, 1, 0, 1],
                    3 => [.. Header(id, 0, 1), 3, (byte)'a', (byte)'b', (byte)'c', 0xC0, 12, 0, 1, 0, 1],
                    4 => [.. Header(id, (ushort)random.Next(0, 65536), (ushort)random.Next(0, 65536), (ushort)random.Next(0, 65536), (ushort)random.Next(0, 65536), (ushort)random.Next(0, 65536)), .. RandomBytes(random, 40)],
                    5 => [.. Header(id, 0, 1, 0, 0, 1), .. Name(d), 0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0xFF, 0xFF], // OPT longer than the packet
                    6 => [.. Header(id, 0, 1), .. Enumerable.Repeat((byte)63, 300), 0, 1, 0, 1],
                    _ => [.. Header(id, 0, 1, 0, 0, 1), .. Name(d), 0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 6, 0, 8, 0xFF, 0xF0, 1, 2], // an option running past its record
                };
                await udp.SendAsync(packet);
            }
        }
        for (var i = 0; i < 50; i++)
            await SendTcpGarbage(random, d, i);

        Assert.False(Server.HasExited, "the server died");
        var answer = await Dig.Query(Server, d);
        Assert.Equal(["192.0.2.1"], answer.Data("A"));
        Assert.Equal(["192.0.2.1"], (await Dig.Query(Server, d, "A", "+tcp")).Data("A"));
        (await user.Api.Get($"/domains/{d}")).Expect(200);
        Assert.DoesNotContain("Unhandled exception", Server.Output);
        await AssertFailedQueriesWarnedSparingly();
    }

    /// <summary>
    /// Packets past the screen that the library still cannot parse are dropped and show in the log as warnings,
    /// at most one per kind of fault every 10 s since the server started, however many there were.
    /// </summary>
    async Task AssertFailedQueriesWarnedSparingly()
    {
        const string Warning = "DNS: a query failed (";
        var output = await Poll.Until(() => Task.FromResult(Server.Output), o => o.Contains(Warning), "a warning about the queries that failed");
        var lines = output.Split('\n').Where(l => l.Contains(Warning)).ToList();
        Assert.All(lines, l => Assert.StartsWith("warn: CloudsFor.Dns.QueryFaults", l));
        var allowed = 1 + (int)((DateTime.UtcNow - flooded.StartedAt) / TimeSpan.FromSeconds(10));
        foreach (var kind in lines.GroupBy(l => Regex.Match(l, @"DNS: a query failed \(([^)]*)\)").Groups[1].Value))
            Assert.True(kind.Count() <= allowed, $"{kind.Count()} warnings of {kind.Key}, more than one every 10 s:\n{string.Join('\n', kind)}");
    }

    /// <summary>One TCP connection with a bad length, garbage, a cut-off message or a good query followed by junk.</summary>
    async Task SendTcpGarbage(Random random, string d, int kind)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(Dns);
        var stream = tcp.GetStream();
        var query = Query(42, d);
        byte[] bytes = (kind % 5) switch
        {
            0 => [0, 0],
            1 => [0xFF, 0xFF, .. RandomBytes(random, 100)],
            2 => RandomBytes(random, random.Next(1, 300)),
            3 => [0, (byte)query.Length, .. query, 0, 5, 1, 2, 3],
            _ => [0, 30, .. Header(1, 0, 1)],
        };
        await stream.WriteAsync(bytes);
        tcp.Client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // Read whatever comes until the server hangs up.
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // A reset is a fine way to end this.
        }
    }

    static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
