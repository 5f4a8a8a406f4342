using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace CloudsFor.Model;

/// <summary>A record as the client sent it, before any check.</summary>
public sealed record DnsRecordInput(string? Type, string? Name, string? Data, long? Priority, long? Port, long? Ttl, long? Weight, long? Flags, string? Tag);

/// <summary>A valid record, normalized: upper-case type, relative name ("@" for the apex), canonical data.</summary>
public sealed record DnsRecordValue(string Type, string Name, string Data, int? Priority, int? Port, int Ttl, int? Weight, int? Flags, string? Tag)
{
    /// <summary>The same resource record in DNS terms: everything but the TTL.</summary>
    public bool SameRecord(DnsRecordValue other) => this with { Ttl = 0 } == other with { Ttl = 0 };
}

/// <summary>The rules of each record type (the DigitalOcean field set), checked before anything is stored.</summary>
public static partial class DnsRecordRules
{
    public const int MinTtl = 30;
    public const int MaxTxtBytes = 4096;
    public static readonly string[] Types = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"];
    public static readonly string[] CaaTags = ["issue", "issuewild", "iodef"];
    static readonly string[] Optional = ["priority", "port", "weight", "flags", "tag"];

    static readonly Dictionary<string, string[]> Uses = new()
    {
        ["MX"] = ["priority"],
        ["SRV"] = ["priority", "weight", "port"],
        ["CAA"] = ["flags", "tag"],
    };

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex DottedQuad();

    /// <summary>Checks a whole record; every problem goes to <paramref name="error"/> by field. Null when invalid.</summary>
    public static DnsRecordValue? Check(string zone, DnsRecordInput input, int defaultTtl, Action<string, string> error)
    {
        var errors = 0;
        void Fail(string field, string message)
        {
            errors++;
            error(field, message);
        }

        var type = input.Type?.ToUpperInvariant();
        if (type is null)
            Fail("type", "is required");
        else if (!Types.Contains(type))
            Fail("type", $"'{input.Type}' is not a record type; use one of {string.Join(", ", Types)}");
        string? name = null;
        if (input.Name is null)
            Fail("name", "is required (use @ for the domain itself)");
        else if ((name = DomainNames.Owner(zone, input.Name, out var problem)) is null)
            Fail("name", problem);
        if (input.Data is null)
            Fail("data", "is required");
        if (type is null || !Types.Contains(type))
            return null;

        var uses = Uses.GetValueOrDefault(type, []);
        var given = new Dictionary<string, bool>
        {
            ["priority"] = input.Priority is not null, ["port"] = input.Port is not null, ["weight"] = input.Weight is not null,
            ["flags"] = input.Flags is not null, ["tag"] = input.Tag is not null,
        };
        foreach (var field in Optional.Where(f => given[f] && !uses.Contains(f)))
            Fail(field, $"does not apply to {type} records");
        foreach (var field in uses.Where(f => !given[f] && f != "flags"))
            Fail(field, $"is required for {type} records");

        if (name is not null)
        {
            if (type == "CNAME" && name == "@")
                Fail("name", "a CNAME cannot be at the apex (@), which holds the SOA and NS records");
            else if (type == "SOA" && name != "@")
                Fail("name", "the SOA record is at the apex (@)");
            else if (type == "SRV" && !IsServiceName(name))
                Fail("name", "an SRV record's name starts with _service._protocol, e.g. _sip._tcp");
        }

        if (type == "CAA" && input.Tag is not null && !CaaTags.Contains(input.Tag))
            Fail("tag", $"'{input.Tag}' is not a CAA tag; use issue, issuewild or iodef");
        string? data = null;
        if (input.Data is not null && (type != "CAA" || CaaTags.Contains(input.Tag ?? ""))
            && (data = Data(zone, type, input.Data, input.Tag, out var dataProblem)) is null)
            Fail("data", dataProblem);
        if (errors > 0)
            return null;
        return new DnsRecordValue(type, name!, data!, (int?)input.Priority, (int?)input.Port, (int)(input.Ttl ?? defaultTtl),
            (int?)input.Weight, type == "CAA" ? (int)(input.Flags ?? 0) : null, type == "CAA" ? input.Tag : null);
    }

    static bool IsServiceName(string name)
    {
        var labels = name.Split('.');
        return labels.Length >= 2 && labels[0].StartsWith('_') && labels[1].StartsWith('_');
    }

    /// <summary>The normalized data of one type, or null with the problem.</summary>
    static string? Data(string zone, string type, string data, string? tag, out string problem)
    {
        problem = "";
        switch (type)
        {
            case "A":
                if (DottedQuad().IsMatch(data))
                    return IPAddress.Parse(data).ToString();
                problem = $"'{data}' is not an IPv4 address (four numbers 0-255 separated by dots)";
                return null;
            case "AAAA":
                if (!data.Contains('%') && IPAddress.TryParse(data, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                    return v6.ToString();
                problem = $"'{data}' is not an IPv6 address";
                return null;
            case "CNAME":
                return DomainNames.Target(zone, data, hostOnly: false, out problem);
            case "NS":
                return DomainNames.Target(zone, data, hostOnly: true, out problem);
            case "MX" or "SRV":
                // "." says there is no such service (RFC 7505 null MX, RFC 2782).
                return data == "." ? "." : DomainNames.Target(zone, data, hostOnly: true, out problem);
            case "TXT":
                problem = Text(data, MaxTxtBytes);
                return problem.Length == 0 ? data : null;
            case "CAA":
                return Caa(tag!, data, out problem);
            case "SOA":
                return Soa(zone, data, out problem);
            default:
                problem = "is not supported";
                return null;
        }
    }

    static string Text(string data, int maxBytes)
    {
        if (data.Length == 0)
            return "must not be empty";
        if (data.Any(char.IsControl))
            return "must not hold control characters";
        var bytes = Encoding.UTF8.GetByteCount(data);
        return bytes > maxBytes ? $"must be at most {maxBytes} bytes (UTF-8); it has {bytes}" : "";
    }

    static string? Caa(string tag, string value, out string problem)
    {
        problem = "";
        if (value.Length > 255 || value.Any(c => c < ' ' || c > '~'))
        {
            problem = "must be printable ASCII of at most 255 characters";
            return null;
        }
        if (tag == "iodef")
        {
            var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "mailto" or "http" or "https";
            problem = ok ? "" : "an iodef value is a mailto:, http: or https: URL";
            return ok ? value : null;
        }
        // issue and issuewild: an optional CA domain, then optional "; key=value" parameters (RFC 8659).
        var domain = value.Split(';')[0].Trim();
        if (domain.Length > 0 && DomainNames.Target("", domain, hostOnly: true, out _) is null)
        {
            problem = $"'{domain}' is not a CA domain name; give e.g. letsencrypt.org, or ; to forbid issuance";
            return null;
        }
        return value;
    }

    static string? Soa(string zone, string data, out string problem)
    {
        var f = data.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        problem = "an SOA record's data is 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM' (the serial is managed by the server)";
        if (f.Length != 7 || f.Skip(2).Any(n => !uint.TryParse(n, out var v) || v > int.MaxValue))
            return null;
        var mname = DomainNames.Target(zone, f[0], hostOnly: true, out var p1);
        var rname = DomainNames.Target(zone, f[1], hostOnly: false, out var p2);
        if (mname is null || rname is null)
        {
            problem = mname is null ? "MNAME " + p1 : "RNAME " + p2;
            return null;
        }
        problem = "";
        return new SoaData(mname, rname, uint.Parse(f[3]), uint.Parse(f[4]), uint.Parse(f[5]), uint.Parse(f[6])).WithSerial(0);
    }

    /// <summary>
    /// Checks a record against the others at its name: no duplicates, and a CNAME stands alone
    /// (RFC 1034 §3.6.2). Null when it fits, else the field to blame and why.
    /// </summary>
    public static (string Field, string Message)? Conflict(DnsRecordValue record, IEnumerable<DnsRecordValue> sameName)
    {
        foreach (var other in sameName)
        {
            if (other.SameRecord(record))
                return ("data", "an identical record already exists");
            if (record.Type == "CNAME")
                return ("name", $"a CNAME cannot share its name with other records; '{record.Name}' already has a {other.Type} record");
            if (other.Type == "CNAME")
                return ("name", $"'{record.Name}' has a CNAME record, which cannot share its name with other records");
        }
        return null;
    }

    /// <summary>An IPv4 (dotted quad) or IPv6 address in canonical form, or null.</summary>
    public static string? Address(string text) =>
        Data("", text.Contains(':') ? "AAAA" : "A", text, null, out _);

    /// <summary>TXT data as DNS character-strings: UTF-8 cut into pieces of at most 255 bytes, never inside a character.</summary>
    public static List<byte[]> TxtStrings(string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        var strings = new List<byte[]>();
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Math.Min(start + 255, bytes.Length);
            while (end < bytes.Length && end > start + 1 && (bytes[end] & 0xC0) == 0x80)
                end--;
            strings.Add(bytes[start..end]);
            start = end;
        }
        return strings;
    }
}
