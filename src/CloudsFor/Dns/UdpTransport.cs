using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace CloudsFor.Dns;

/// <summary>
/// DNS over UDP for the library's DnsServer, with the <see cref="PacketScreen"/> in front. The socket
/// is bound when the transport is made, so a port in use stops the start with a clear message.
/// </summary>
public sealed class UdpTransport : IServerTransport
{
    const int MaxQuery = 4096;
    readonly Socket socket;
    readonly IPEndPoint local;
    readonly EndPoint any;

    public UdpTransport(IPEndPoint endpoint)
    {
        socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Room for bursts (the kernel caps it at net.core.rmem_max).
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        local = (IPEndPoint)socket.LocalEndPoint!;
        any = new IPEndPoint(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    public ushort DefaultAllowedResponseSize => 512;
    public bool SupportsMultipleResponses => false;
    public bool AllowTruncatedResponses => true;
    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    public void Bind()
    {
        // Bound in the constructor.
    }

    public void Close() => socket.Dispose();

    /// <summary>The next packet worth parsing; screened-out ones are dropped or answered here. Never throws (the library's loop cannot take it).</summary>
    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        var buffer = new byte[MaxQuery];
        while (!token.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token);
                var packet = buffer.AsSpan(0, received.ReceivedBytes);
                var remote = (IPEndPoint)received.RemoteEndPoint;
                var verdict = PacketScreen.Check(packet);
                if (verdict == PacketScreen.Verdict.Pass && Package(packet, remote) is { } package)
                    return new UdpConnection(this, socket, package);
                if (verdict != PacketScreen.Verdict.Drop)
                    await socket.SendToAsync(PacketScreen.Reply(packet, PacketScreen.Rcode(verdict)), SocketFlags.None, remote, token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException)
            {
                // A failed receive or send concerns one packet; go on with the next.
            }
        }
        return null;
    }

    /// <summary>The library's raw package (a length prefix, then the message); null when its question does not even parse.</summary>
    DnsReceivedRawPackage? Package(ReadOnlySpan<byte> packet, IPEndPoint remote)
    {
        var data = new byte[packet.Length + 2];
        data[0] = (byte)(packet.Length >> 8);
        data[1] = (byte)packet.Length;
        packet.CopyTo(data.AsSpan(2));
        try
        {
            return new DnsReceivedRawPackage(data, remote, local);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or FormatException or NotSupportedException or OverflowException)
        {
            return null;
        }
    }

    public void Dispose() => socket.Dispose();

    sealed class UdpConnection(UdpTransport transport, Socket socket, DnsReceivedRawPackage package) : IServerConnection
    {
        public IServerTransport Transport => transport;
        public IPEndPoint RemoteEndPoint => package.RemoteEndpoint;
        public IPEndPoint LocalEndPoint => package.LocalEndpoint;
        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            CanRead = false;
            return Task.FromResult<DnsReceivedRawPackage?>(package);
        }

        public async Task<bool> SendAsync(DnsRawPackage response, CancellationToken token = default)
        {
            try
            {
                return await socket.SendToAsync(response.ToArraySegment(false), SocketFlags.None, package.RemoteEndpoint, token) == response.Length;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            // The socket is the transport's.
        }
    }
}
