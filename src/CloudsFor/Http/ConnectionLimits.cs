using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CloudsFor.Http;

/// <summary>How many connections the server holds open: in all (0 = no cap) and from one client address (0 = no cap).</summary>
public sealed record ConnectionSettings(int MaxConnections, int MaxConnectionsPerAddress);

/// <summary>
/// What keeps a flood of connections, or clients that send a byte at a time (slowloris), from taking the server from
/// everyone else: caps on open connections, in all and per client address, and deadlines for each stage of a
/// connection. The figures are documented in docs/operator-guide.md, "Connection limits".
/// </summary>
public static class ConnectionLimits
{
    /// <summary>A client that opened a connection has this long to finish the TLS handshake.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    /// <summary>From the first byte of a request to the end of its headers; real clients send them in one packet.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How long a connection may sit with no request in progress. Longer than the 60 s idle timeout of the usual load
    /// balancers, so a balancer never sends a request on a connection the server is closing.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(120);
    /// <summary>
    /// A request body (or a response a client reads) must move at least this fast once the grace period is over.
    /// The response rate counts only while a write waits for the client, so an idle event stream between heartbeats is not cut.
    /// </summary>
    public static readonly MinDataRate MinDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));

    /// <summary>
    /// TLS 1.2 suites with forward secrecy and authenticated encryption only (TLS 1.3 has no others): the default list on
    /// Linux also takes CBC suites such as ECDHE-ECDSA-AES128-SHA256 (the tests saw it), and nothing else rules out RSA key
    /// exchange, without forward secrecy, for an operator's RSA certificate.
    /// </summary>
    static readonly TlsCipherSuite[] CipherSuites =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    public static void Apply(KestrelServerLimits limits, ConnectionSettings settings)
    {
        limits.MaxConcurrentConnections = settings.MaxConnections > 0 ? settings.MaxConnections : null;
        // Nothing here upgrades a connection today; if something does, an upgraded one still counts against the same cap.
        limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MinRequestBodyDataRate = MinDataRate;
        limits.MinResponseDataRate = MinDataRate;
    }

    /// <summary>The endpoint: the per-address cap first (a refused client costs no handshake), then TLS with HTTP/2, or plain HTTP/1.1.</summary>
    public static void Configure(ListenOptions listen, X509Certificate2? certificate, ConnectionSettings settings)
    {
        if (settings.MaxConnectionsPerAddress > 0)
        {
            var open = new ConcurrentDictionary<IPAddress, int>();
            listen.Use(next => async connection =>
            {
                var address = connection.RemoteEndPoint is IPEndPoint remote ? Client(remote.Address) : IPAddress.None;
                try
                {
                    // Returning without calling next closes the connection at once.
                    if (open.AddOrUpdate(address, 1, (_, n) => n + 1) <= settings.MaxConnectionsPerAddress)
                        await next(connection);
                }
                finally
                {
                    // Only a count at 0 is removed, so the table holds no more addresses than have connections open.
                    if (open.AddOrUpdate(address, 0, (_, n) => n - 1) == 0)
                        open.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
                }
            });
        }
        if (certificate is null)
        {
            listen.Protocols = HttpProtocols.Http1;
            return;
        }
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            HandshakeTimeout = HandshakeTimeout,
        };
        // Elsewhere the platform's TLS library has its own policy and .NET cannot set one.
        if (OperatingSystem.IsLinux())
        {
            var policy = new CipherSuitesPolicy(CipherSuites);
            https.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = policy;
        }
        listen.UseHttps(https);
    }

    /// <summary>One client is one IPv4 address, or one IPv6 /64: a single IPv6 host usually has a whole /64 to pick addresses from.</summary>
    static IPAddress Client(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
