using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace CloudsFor.Dns;

/// <summary>
/// DNS over TCP (RFC 7766) for the library's DnsServer: length-prefixed messages, several per
/// connection, answers written one at a time. Connections are bounded in number and closed after
/// 10 s without a query, and a message the <see cref="PacketScreen"/> drops closes its connection.
/// </summary>
public sealed class TcpTransport : IServerTransport
{
    const int MaxConnections = 256;
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);
    readonly Socket listener;
    int open;

    public TcpTransport(IPEndPoint endpoint)
    {
        listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Connections the server closed linger in TIME_WAIT; without this a restart could not bind again for a minute.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public ushort DefaultAllowedResponseSize => ushort.MaxValue;
    public bool SupportsMultipleResponses => false;
    public bool AllowTruncatedResponses => true;
    public TransportProtocol TransportProtocol => TransportProtocol.Tcp;

    public void Bind()
    {
        // Bound and listening since the constructor.
    }

    public void Close() => listener.Dispose();

    public void Dispose() => listener.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptAsync(token);
                if (Interlocked.Increment(ref open) <= MaxConnections)
                    return new TcpConnection(this, client);
                Interlocked.Decrement(ref open);
                client.Dispose();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException)
            {
                // One failed accept; the listener goes on.
            }
        }
        return null;
    }

    sealed class TcpConnection(TcpTransport transport, Socket client) : IServerConnection
    {
        readonly SemaphoreSlim writing = new(1, 1);
        readonly IPEndPoint remote = (IPEndPoint)client.RemoteEndPoint!;
        readonly IPEndPoint local = (IPEndPoint)client.LocalEndPoint!;
        int closed;
        int inFlight;
        int closing;

        public IServerTransport Transport => transport;
        public IPEndPoint RemoteEndPoint => remote;
        public IPEndPoint LocalEndPoint => local;
        public bool CanRead => Volatile.Read(ref closed) == 0;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        /// <summary>The next message worth parsing; null when the client is done, idle too long or sent something to hang up on.</summary>
        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            try
            {
                while (CanRead)
                {
                    var prefix = new byte[2];
                    if (!await ReadAll(prefix, token))
                        break;
                    var length = (prefix[0] << 8) | prefix[1];
                    if (length < PacketScreen.HeaderLength)
                        break;
                    var data = new byte[length + 2];
                    prefix.CopyTo(data, 0);
                    if (!await ReadAll(data.AsMemory(2), token))
                        break;
                    var verdict = PacketScreen.Check(data.AsSpan(2));
                    if (verdict == PacketScreen.Verdict.Drop)
                        break;
                    if (verdict == PacketScreen.Verdict.Pass && Package(data) is { } package)
                    {
                        Interlocked.Increment(ref inFlight);
                        return package;
                    }
                    var reply = PacketScreen.Reply(data.AsSpan(2), PacketScreen.Rcode(verdict));
                    await Write(new DnsRawPackage([0, (byte)reply.Length, .. reply]), token);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                // The connection is over.
            }
            // Answers to queries already read may still be on their way: the last one closes the
            // connection, or, should a query never be answered (the library drops what it cannot parse), a timer.
            Volatile.Write(ref closing, 1);
            if (Volatile.Read(ref inFlight) == 0)
                Dispose();
            else
                _ = Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ => Dispose(), TaskScheduler.Default);
            return null;
        }

        DnsReceivedRawPackage? Package(byte[] data)
        {
            try
            {
                return new DnsReceivedRawPackage(data, remote, local);
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or FormatException or NotSupportedException or OverflowException)
            {
                return null;
            }
        }

        async Task<bool> ReadAll(Memory<byte> buffer, CancellationToken token)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
            idle.CancelAfter(Idle);
            while (buffer.Length > 0)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, idle.Token);
                if (read == 0)
                    return false;
                buffer = buffer[read..];
            }
            return true;
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default)
        {
            try
            {
                await Write(package, token);
                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
            finally
            {
                if (Interlocked.Decrement(ref inFlight) <= 0 && Volatile.Read(ref closing) == 1)
                    Dispose();
            }
        }

        async Task Write(DnsRawPackage package, CancellationToken token)
        {
            await writing.WaitAsync(token);
            try
            {
                var bytes = package.ToArraySegment(true);
                while (bytes.Count > 0)
                    bytes = bytes[await client.SendAsync(bytes, SocketFlags.None, token)..];
            }
            finally
            {
                writing.Release();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) != 0)
                return;
            client.Dispose();
            Interlocked.Decrement(ref transport.open);
        }
    }
}
