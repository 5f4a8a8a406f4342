using System.Net;

namespace CloudsFor.Dns;

/// <summary>Where the DNS server listens (null: it is off) and the name servers new zones list in their SOA and NS records.</summary>
public sealed record DnsSettings(IPEndPoint? Listen, IReadOnlyList<string> Nameservers)
{
    public static readonly IReadOnlyList<string> DefaultNameservers = ["ns1.cloudsfor.internal"];
}
