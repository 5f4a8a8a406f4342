using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace CloudsFor.Dns;

/// <summary>
/// Answers one query from the zones, as an authoritative-only server: AA for names in a managed
/// zone, REFUSED for everything else (no recursion, no forwarding), NXDOMAIN or NODATA with the SOA,
/// CNAME chains followed inside the zone, wildcards (RFC 4592) and referrals below delegations.
/// </summary>
public sealed class Authority(Zones zones)
{
    const int MaxChain = 8;
    const ushort MaxUdpPayload = 1232; // the size DNS Flag Day 2020 settled on: no IP fragmentation

    public Task Handle(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
            e.Response = Answer(query);
        return Task.CompletedTask;
    }

    public DnsMessage Answer(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (response.IsEDnsEnabled)
        {
            response.EDnsOptions!.UdpPayloadSize = Math.Clamp(query.EDnsOptions!.UdpPayloadSize, (ushort)512, MaxUdpPayload);
            response.EDnsOptions.Options.Clear();
        }
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }
        var question = query.Questions[0];
        var name = Key(question.Name);
        var zone = name is null ? null : zones.Enclosing(name);
        if (zone is null || question.RecordClass is not (RecordClass.INet or RecordClass.Any)
            || question.RecordType is RecordType.Axfr or RecordType.Ixfr)
        {
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }
        response.IsAuthoritiveAnswer = true;
        Resolve(zone, name!, question.Name, question.RecordType, response, []);
        return response;
    }

    static void Resolve(Zone zone, string name, DomainName owner, RecordType type, DnsMessage response, List<string> seen)
    {
        seen.Add(name);
        if (zone.Delegation(name) is { } cut && !(cut == name && type == RecordType.Ds))
        {
            Refer(zone, cut, response, first: seen.Count == 1);
            return;
        }
        var at = name;
        var synthesized = false;
        if (!zone.Exists(name))
        {
            if (zone.WildcardFor(name) is not { } wildcard)
            {
                response.ReturnCode = ReturnCode.NxDomain;
                response.AuthorityRecords.Add(zone.NegativeSoa);
                return;
            }
            (at, synthesized) = (wildcard, true);
        }
        var records = zone.At(at);
        DnsRecordBase Shown(WireRecord r) => synthesized ? r.At(owner) : r.Record;

        if (type is not (RecordType.CName or RecordType.Any) && records.FirstOrDefault(r => r.Type == RecordType.CName) is { } alias)
        {
            response.AnswerRecords.Add(Shown(alias));
            var target = alias.Target!;
            if (zone.Contains(target) && seen.Count < MaxChain && !seen.Contains(target))
                Resolve(zone, target, RecordWire.Name(target), type, response, seen);
            return;
        }
        var matches = records.Where(r => type == RecordType.Any || r.Type == type).ToList();
        if (matches.Count == 0)
        {
            response.AuthorityRecords.Add(zone.NegativeSoa);
            return;
        }
        response.AnswerRecords.AddRange(matches.Select(Shown));
        AddAddressesOf(zone, matches.Where(r => r.Type is RecordType.Mx or RecordType.Srv or RecordType.Ns), response);
    }

    /// <summary>Below a zone cut the zone is not authoritative: hand out the delegation's NS records and their glue.</summary>
    static void Refer(Zone zone, string cut, DnsMessage response, bool first)
    {
        if (first)
            response.IsAuthoritiveAnswer = false;
        var ns = zone.At(cut).Where(r => r.Type == RecordType.Ns).ToList();
        response.AuthorityRecords.AddRange(ns.Select(r => r.Record));
        AddAddressesOf(zone, ns, response);
    }

    static void AddAddressesOf(Zone zone, IEnumerable<WireRecord> records, DnsMessage response)
    {
        foreach (var target in records.Select(r => r.Target).OfType<string>().Distinct())
            if (zone.Contains(target))
                response.AdditionalRecords.AddRange(zone.At(target).Where(r => r.Type is RecordType.A or RecordType.Aaaa).Select(r => r.Record));
    }

    /// <summary>The zone key of a queried name: its labels in lower case, joined by dots; null if a label could not be one of ours.</summary>
    static string? Key(DomainName name)
    {
        var labels = name.Labels;
        if (labels.Length == 0)
            return null;
        foreach (var label in labels)
            if (label.Length == 0 || label.Contains('.'))
                return null;
        return string.Join('.', labels).ToLowerInvariant();
    }
}
