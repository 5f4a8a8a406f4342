using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CloudsFor.Work;

/// <summary>
/// The guard against server-side request forgery: an import must not make the server fetch from
/// itself, its network or the cloud's metadata addresses. Every address is judged when a socket
/// is about to connect to it, so a redirect and a name that resolves differently the second time
/// (DNS rebinding) are judged too.
/// </summary>
public static class ImportGuard
{
    public const int MaxRedirects = 5;

    static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    static readonly Lazy<HashSet<IPAddress>> OwnAddresses = new(() => NetworkInterface.GetAllNetworkInterfaces()
        .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => Plain(a.Address)).ToHashSet());

    /// <summary>Why the address is refused, or null when an import may connect to it.</summary>
    public static string? Reason(IPAddress address, ImageImportSettings settings)
    {
        var plain = Plain(address);
        if (settings.Allow.Any(n => n.Contains(plain)))
            return null;
        if (Refused.Any(n => n.Contains(plain)))
            return $"{plain} is a loopback, private, link-local, multicast or reserved address";
        return OwnAddresses.Value.Contains(plain) ? $"{plain} is an address of this server" : null;
    }

    /// <summary>A client for one import: redirects limited, no proxy, and every connection judged by <see cref="Reason"/>.</summary>
    public static HttpClient Client(ImageImportSettings settings) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = MaxRedirects,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        ConnectCallback = (context, ct) => Connect(context.DnsEndPoint, settings, ct),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    static async ValueTask<Stream> Connect(DnsEndPoint target, ImageImportSettings settings, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(target.Host, out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(target.Host, ct);
        var allowed = addresses.FirstOrDefault(a => Reason(a, settings) is null);
        if (allowed is null)
            throw new ImportFailed(addresses.Length == 0
                ? $"{target.Host} has no address"
                : $"refused to connect to {target.Host}: {Reason(addresses[0], settings)}; an operator may allow it with --image-import-allow");
        var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(allowed, target.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What can be told before any lookup: the scheme, and a host written as a refused address or as localhost.
    /// A name is judged once it resolves, when the download connects.
    /// </summary>
    public static string? Problem(string url, ImageImportSettings settings)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return "must be an http or https URL";
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var address))
            return Reason(address, settings) is { } why ? $"is refused: {why}; an operator may allow it with --image-import-allow" : null;
        return uri.Host == "localhost" || uri.Host.EndsWith(".localhost", StringComparison.Ordinal)
            ? "is refused: localhost is this server; an operator may allow it with --image-import-allow"
            : null;
    }

    /// <summary>What the user is told about a failed request: the guard's reason when it refused, else the network's.</summary>
    public static string Describe(HttpRequestException e) =>
        e.InnerException is ImportFailed refused ? refused.Message : $"the download failed: {e.Message}";

    static IPAddress Plain(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
