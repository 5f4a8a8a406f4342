using ARSoft.Tools.Net.Dns;
using CloudsFor.Model;

namespace CloudsFor.Dns;

/// <summary>
/// An immutable snapshot of one zone as the DNS server answers it: records by owner name, every name
/// that exists (owners and the empty names between them and the apex), the SOA for negative answers.
/// </summary>
public sealed class Zone
{
    readonly Dictionary<string, List<WireRecord>> owners = new(StringComparer.Ordinal);
    readonly HashSet<string> names = new(StringComparer.Ordinal);

    public string Name { get; }
    public long Serial { get; }

    /// <summary>The SOA for NXDOMAIN and NODATA answers, with the TTL negative answers may be cached (RFC 2308).</summary>
    public SoaRecord NegativeSoa { get; }

    /// <summary>Whether any name below the apex has NS records (a delegation); most zones have none.</summary>
    public bool HasDelegations { get; }

    Zone(DomainRow domain, IReadOnlyList<DomainRecordRow> rows)
    {
        Name = domain.Name;
        Serial = domain.Serial;
        names.Add(Name);
        SoaRecord? soa = null;
        foreach (var row in rows)
        {
            var fqdn = DomainNames.Fqdn(Name, row.Name);
            var wire = RecordWire.Make(row, fqdn, domain.Serial);
            if (!owners.TryGetValue(fqdn, out var list))
                owners[fqdn] = list = [];
            list.Add(wire);
            for (var name = fqdn; name.Length > Name.Length; name = name[(name.IndexOf('.') + 1)..])
                names.Add(name);
            if (wire.Record is SoaRecord s)
                soa = s;
            HasDelegations |= wire.Type == RecordType.Ns && fqdn != Name;
        }
        var apex = RecordWire.Name(Name);
        soa ??= new SoaRecord(apex, domain.Ttl, apex, RecordWire.Name("hostmaster." + Name), (uint)domain.Serial, 10800, 3600, 604800, 1800);
        NegativeSoa = new SoaRecord(apex, Math.Min(soa.TimeToLive, soa.NegativeCachingTTL), soa.MasterName, soa.ResponsibleName,
            soa.SerialNumber, soa.RefreshInterval, soa.RetryInterval, soa.ExpireInterval, soa.NegativeCachingTTL);
    }

    public static Zone Build(DomainRow domain, IReadOnlyList<DomainRecordRow> rows) => new(domain, rows);

    public bool Contains(string name) => name == Name || name.EndsWith("." + Name, StringComparison.Ordinal);

    /// <summary>Whether the name exists in the zone: it owns records, or records are below it.</summary>
    public bool Exists(string name) => names.Contains(name);

    public IReadOnlyList<WireRecord> At(string name) => owners.TryGetValue(name, out var list) ? list : [];

    /// <summary>The highest name between the apex (excluded) and <paramref name="name"/> (included) that has NS records: a zone cut.</summary>
    public string? Delegation(string name)
    {
        if (!HasDelegations)
            return null;
        string? cut = null;
        for (var n = name; n.Length > Name.Length; n = n[(n.IndexOf('.') + 1)..])
            if (At(n).Any(r => r.Type == RecordType.Ns))
                cut = n;
        return cut;
    }

    /// <summary>The wildcard that answers for a name that does not exist: "*." + its closest existing ancestor (RFC 4592), if there is one.</summary>
    public string? WildcardFor(string name)
    {
        var encloser = name;
        do
            encloser = encloser[(encloser.IndexOf('.') + 1)..];
        while (encloser.Length > Name.Length && !names.Contains(encloser));
        var wildcard = "*." + encloser;
        return owners.ContainsKey(wildcard) ? wildcard : null;
    }
}
