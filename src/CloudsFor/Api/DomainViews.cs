using CloudsFor.Model;

namespace CloudsFor.Api;

public sealed record DomainView(string Name, int Ttl, string ZoneFile, IReadOnlyList<string> Tags)
{
    public static DomainView Of(DomainRow d, IEnumerable<DomainRecordRow> records) => new(d.Name, d.Ttl, Model.ZoneFile.Render(d, records), CloudsFor.Api.Tags.FromJson(d.TagsJson));
}

/// <summary>A record as DigitalOcean shows one: every field present, null where the type does not use it.</summary>
public sealed record DomainRecordView(string Id, string Type, string Name, string Data, int? Priority, int? Port, int Ttl, int? Weight, int? Flags, string? Tag)
{
    public static DomainRecordView Of(DomainRecordRow r, long serial) =>
        new(r.Id, r.Type, r.Name, r.Type == "SOA" ? SoaData.Shown(r.Data, serial) : r.Data, r.Priority, r.Port, r.Ttl, r.Weight, r.Flags, r.Tag);
}
