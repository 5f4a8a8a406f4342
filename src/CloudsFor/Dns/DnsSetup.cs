using System.Net;
using System.Net.Sockets;

namespace CloudsFor.Dns;

/// <summary>The DNS server's sockets, bound before the host starts so that a port in use is a clear start-up error.</summary>
public sealed record DnsTransports(IPEndPoint Endpoint, UdpTransport Udp, TcpTransport Tcp);

public static class DnsSetup
{
    /// <summary>Registers the zones and, unless DNS is off, binds its port and adds the server. False (with a message) when the port cannot be had.</summary>
    public static bool Add(IServiceCollection services, DnsSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<Zones>();
        if (settings.Listen is null)
            return true;
        UdpTransport? udp = null;
        try
        {
            udp = new UdpTransport(settings.Listen);
            var tcp = new TcpTransport(settings.Listen);
            services.AddSingleton(new DnsTransports(settings.Listen, udp, tcp));
        }
        catch (SocketException e)
        {
            udp?.Dispose();
            Console.Error.WriteLine($"cloudsfor: cannot serve DNS on {settings.Listen}: {e.Message} (choose another with --dns-listen HOST:PORT, or off)");
            return false;
        }
        services.AddSingleton<Authority>();
        services.AddSingleton<QueryFaults>();
        services.AddHostedService<DnsHost>();
        return true;
    }
}
