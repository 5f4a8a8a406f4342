using System.Net;

namespace CloudsFor.Model;

/// <summary>An IPv4 CIDR block; VMs get host number 2, 3, … (1 is the gateway).</summary>
public sealed record IpRange(uint Network, int PrefixLength)
{
    public static IpRange Parse(string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var prefix) || prefix < 8 || prefix > 30)
            throw new FormatException($"'{cidr}' is not an IPv4 range like 10.16.0.0/16 (prefix 8..30)");
        var bytes = ip.GetAddressBytes();
        var network = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) & Mask(prefix);
        return new IpRange(network, prefix);
    }

    static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>Usable host numbers: all but network, gateway (.1) and broadcast.</summary>
    public long HostCount => (1L << (32 - PrefixLength)) - 3;

    public string Address(long hostNumber) => Format(Network + (uint)hostNumber);

    public string Gateway => Format(Network + 1);

    public string Netmask => Format(Mask(PrefixLength));

    static string Format(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
}
