using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CloudsFor.Model;

namespace CloudsFor.Dns;

/// <summary>One stored record made ready for the wire: built once for its owner, and again for a name a wildcard stands in for.</summary>
public sealed class WireRecord(RecordType type, DomainName owner, Func<DomainName, DnsRecordBase> make, string? target)
{
    public RecordType Type { get; } = type;
    public DnsRecordBase Record { get; } = make(owner);

    /// <summary>The name a CNAME, MX, NS or SRV record points at, as a zone key; null for other types.</summary>
    public string? Target { get; } = target;

    public DnsRecordBase At(DomainName owner) => make(owner);
}

/// <summary>Stored rows as ARSoft records. TXT goes out as raw character-strings because the library would turn non-ASCII into '?'.</summary>
public static class RecordWire
{
    public static DomainName Name(string fqdn) => fqdn is "" or "." ? DomainName.Root : new DomainName(fqdn.Split('.'));

    public static WireRecord Make(DomainRecordRow r, string owner, long serial)
    {
        var ttl = r.Ttl;
        var at = Name(owner);
        switch (r.Type)
        {
            case "A":
            {
                var address = IPAddress.Parse(r.Data);
                return new WireRecord(RecordType.A, at, o => new ARecord(o, ttl, address), null);
            }
            case "AAAA":
            {
                var address = IPAddress.Parse(r.Data);
                return new WireRecord(RecordType.Aaaa, at, o => new AaaaRecord(o, ttl, address), null);
            }
            case "CNAME":
            {
                var target = Name(r.Data);
                return new WireRecord(RecordType.CName, at, o => new CNameRecord(o, ttl, target), r.Data);
            }
            case "NS":
            {
                var target = Name(r.Data);
                return new WireRecord(RecordType.Ns, at, o => new NsRecord(o, ttl, target), r.Data);
            }
            case "MX":
            {
                var (target, preference) = (Name(r.Data), (ushort)r.Priority!.Value);
                return new WireRecord(RecordType.Mx, at, o => new MxRecord(o, ttl, preference, target), r.Data);
            }
            case "SRV":
            {
                var (target, priority, weight, port) = (Name(r.Data), (ushort)r.Priority!.Value, (ushort)r.Weight!.Value, (ushort)r.Port!.Value);
                return new WireRecord(RecordType.Srv, at, o => new SrvRecord(o, ttl, priority, weight, port, target), r.Data);
            }
            case "CAA":
            {
                var (flags, tag, value) = ((byte)(r.Flags ?? 0), r.Tag ?? "issue", r.Data);
                return new WireRecord(RecordType.CAA, at, o => new CAARecord(o, ttl, flags, tag, value), null);
            }
            case "TXT":
            {
                var rdata = DnsRecordRules.TxtStrings(r.Data).SelectMany(s => new[] { (byte)s.Length }.Concat(s)).ToArray();
                return new WireRecord(RecordType.Txt, at, o => new UnknownRecord(o, RecordType.Txt, RecordClass.INet, ttl, rdata), null);
            }
            case "SOA":
            {
                var soa = SoaData.Parse(r.Data);
                var (mname, rname) = (Name(soa.MName), Name(soa.RName));
                return new WireRecord(RecordType.Soa, at, o => new SoaRecord(o, ttl, mname, rname, (uint)serial,
                    (int)soa.Refresh, (int)soa.Retry, (int)soa.Expire, (int)soa.Minimum), null);
            }
            default:
                throw new InvalidOperationException($"record {r.Id} has an unknown type {r.Type}");
        }
    }
}
