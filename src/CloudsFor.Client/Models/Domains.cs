namespace CloudsFor.Client.Models;

/// <summary>A DNS zone, known by its name; <c>ZoneFile</c> is the zone as an RFC 1035 master file.</summary>
public sealed record Domain(string Name, int Ttl, string ZoneFile)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A record of a domain, with DigitalOcean's fields: null where the type does not use one.</summary>
public sealed record DomainRecord(string Id, string Type, string Name, string Data, int? Priority, int? Port, int Ttl, int? Weight, int? Flags, string? Tag);
