using CloudsFor.Dns;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>
/// DNS domains (zones), known by their name. A new zone gets its SOA and NS records, and an address
/// record for the apex when ip_address is given; the DNS server answers for it from then on.
/// </summary>
public static class DomainsApi
{
    static readonly string[] ReadOnly = ["zone_file"];

    public static void MapDomainsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/domains", List);
        api.MapPost("/domains", Create);
        api.MapRead("/domains/{name}", Get);
        api.MapDelete("/domains/{name}", Delete);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var tagName = Tags.Filter(request);
        var (total, views) = await db.Read(async c =>
        {
            var domains = await DomainsSql.Page(c, caller.AccountId, page.Offset, page.PerPage, tagName);
            var records = await DomainRecordsSql.OfDomains(c, caller.AccountId, domains.Select(d => d.Name));
            return (await DomainsSql.Count(c, caller.AccountId, tagName), domains.Select(d => DomainView.Of(d, records[d.Name])).ToList());
        });
        return Reply.Page(request, "domains", views, total, page);
    }

    /// <summary>The caller's domain by the name in the path (any case, Unicode or punycode); anything else is a 404.</summary>
    public static async Task<DomainRow> Find(Db db, Caller caller, string name)
    {
        var normalized = DomainNames.Domain(name, out _);
        return (normalized is null ? null : await db.Read(c => DomainsSql.Find(c, caller.AccountId, normalized))) ?? throw ApiError.NotFound();
    }

    static async Task<DomainView> View(Db db, DomainRow domain) =>
        DomainView.Of(domain, await db.Read(c => DomainRecordsSql.All(c, domain.AccountId, domain.Name)));

    static async Task<IResult> Get(string name, Caller caller, Db db) => Reply.One("domain", await View(db, await Find(db, caller, name)));

    static async Task<IResult> Create(JsonBody body, Caller caller, Db db, Ids ids, TimeProvider time, DnsSettings dns, Zones zones)
    {
        body.Allow(["name", "ip_address", "ttl"], ReadOnly);
        var input = body.String("name", required: true, maxLength: 1000);
        var ip = body.String("ip_address", maxLength: 100);
        var ttl = (int)(body.Integer("ttl", DnsRecordRules.MinTtl, int.MaxValue) ?? DomainSetup.DefaultTtl);
        string? name = null;
        if (input is { Length: > 0 } && (name = DomainNames.Domain(input, out var problem)) is null)
            body.Error("name", problem);
        var address = ip is null ? null : DnsRecordRules.Address(ip);
        if (ip is not null && address is null)
            body.Error("ip_address", $"'{ip}' is not an IPv4 or IPv6 address");
        body.ThrowIfInvalid();

        var now = time.GetUtcNow();
        var domain = new DomainRow { Name = name!, AccountId = caller.AccountId, Ttl = ttl, Serial = DomainSetup.NextSerial(0, now), CreatedAt = Clock.Stored(now) };
        // A microsecond apart, so the records list in the order they are made: SOA, NS, address.
        var records = DomainSetup.InitialRecords(domain.Name, dns.Nameservers, ttl, address)
            .Select((value, i) => DomainRecordRow.New(ids.New(), domain.Name, caller.AccountId, Clock.Stored(now.AddTicks(i * 10)), value))
            .ToList();
        await db.Write(async (c, t) =>
        {
            // Whoever holds it, the answer is the same, so it tells nothing about other accounts.
            var holders = await DomainsSql.HoldersAround(c, t, domain.Name);
            if (holders.Any(a => a != caller.AccountId) || await DomainsSql.Find(c, caller.AccountId, domain.Name, t) is not null)
                throw ApiError.Invalid("name", $"'{domain.Name}' is not available: it, or a domain above or below it, is already in use");
            await DomainsSql.Insert(c, t, domain);
            foreach (var record in records)
                await DomainRecordsSql.Insert(c, t, record);
            await Events.Record(c, t, caller.AccountId, "domain.created", "domain", domain.Name, DomainView.Of(domain, records), domain.CreatedAt);
        });
        await zones.Refresh(domain.Name);
        return Reply.Created("domain", DomainView.Of(domain, records), $"/api/v1/domains/{domain.Name}");
    }

    static async Task<IResult> Delete(string name, HttpContext ctx, Caller caller, Db db, Zones zones, TimeProvider time)
    {
        var domain = await Find(db, caller, name);
        if (ctx.Request.Headers.IfMatch.Count > 0)
            Reply.CheckIfMatch(ctx, "domain", await View(db, domain));
        await db.Write(async (c, t) =>
        {
            if (await DomainsSql.Delete(c, t, caller.AccountId, domain.Name) > 0)
                await Events.Record(c, t, caller.AccountId, "domain.deleted", "domain", domain.Name, null, Clock.Stored(time.GetUtcNow()));
        });
        await zones.Refresh(domain.Name);
        return Reply.NoContent();
    }
}
