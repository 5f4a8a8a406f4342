using System.Text;

namespace CloudsFor.Model;

/// <summary>
/// The zone as an RFC 1035 master file: every owner and target fully qualified (so nothing depends
/// on $ORIGIN), the SOA first, then the records in the order the API lists them.
/// </summary>
public static class ZoneFile
{
    public static string Render(DomainRow domain, IEnumerable<DomainRecordRow> records)
    {
        var text = new StringBuilder();
        text.Append($"$ORIGIN {domain.Name}.\n$TTL {domain.Ttl}\n");
        foreach (var r in records.OrderBy(r => r.Type != "SOA"))
            text.Append($"{Absolute(DomainNames.Fqdn(domain.Name, r.Name))}\t{r.Ttl}\tIN\t{r.Type}\t{Data(r, domain.Serial)}\n");
        return text.ToString();
    }

    static string Data(DomainRecordRow r, long serial) => r.Type switch
    {
        "CNAME" or "NS" => Absolute(r.Data),
        "MX" => $"{r.Priority} {Absolute(r.Data)}",
        "SRV" => $"{r.Priority} {r.Weight} {r.Port} {Absolute(r.Data)}",
        "TXT" => string.Join(' ', DnsRecordRules.TxtStrings(r.Data).Select(Quoted)),
        "CAA" => $"{r.Flags} {r.Tag} {Quoted(Encoding.ASCII.GetBytes(r.Data))}",
        "SOA" => SoaData.Parse(r.Data) is var soa
            ? $"{Absolute(soa.MName)} {Absolute(soa.RName)} {serial} {soa.Refresh} {soa.Retry} {soa.Expire} {soa.Minimum}"
            : "",
        _ => r.Data,
    };

    static string Absolute(string name) => name == "." ? "." : name + ".";

    /// <summary>A character-string in quotes: '"' and '\' escaped, anything outside printable ASCII as \DDD.</summary>
    static string Quoted(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
                text.Append('\\').Append((char)b);
            else if (b is >= 0x20 and < 0x7f)
                text.Append((char)b);
            else
                text.Append('\\').Append(b.ToString("D3"));
        }
        return text.Append('"').ToString();
    }
}
