using System.Data.Common;
using CloudsFor.Dns;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>
/// The records of a domain. Every change is checked against the rules of its type and against the
/// records at the same name, bumps the zone's SOA serial in the same transaction, and is answered by
/// the DNS server before the response goes out.
/// </summary>
public static class DomainRecordsApi
{
    static readonly string[] Writable = ["type", "name", "data", "priority", "port", "ttl", "weight", "flags", "tag"];
    static readonly string[] ReadOnly = ["id"];

    public static void MapDomainRecordsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/domains/{name}/records", List);
        api.MapPost("/domains/{name}/records", Create);
        api.MapRead("/domains/{name}/records/{id}", Get);
        api.MapPut("/domains/{name}/records/{id}", Update);
        api.MapDelete("/domains/{name}/records/{id}", Delete);
    }

    static string? Query(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;

    static async Task<IResult> List(string name, HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var domain = await DomainsApi.Find(db, caller, name);
        var type = Query(request, "type")?.ToUpperInvariant();
        if (type is not null && !DnsRecordRules.Types.Contains(type))
            throw ApiError.BadRequest($"The query parameter type must be one of {string.Join(", ", DnsRecordRules.Types)}.");
        // name= takes the record's name ("www", "@") or the full one ("www.example.com").
        var owner = Query(request, "name") is { } n
            ? DomainNames.Owner(domain.Name, n == domain.Name || n.EndsWith("." + domain.Name, StringComparison.OrdinalIgnoreCase) ? n + "." : n, out _) ?? n
            : null;
        var filter = new DomainRecordFilter(caller.AccountId, domain.Name, type, owner);
        var (total, rows) = await db.Read(async c => (await DomainRecordsSql.Count(c, filter), await DomainRecordsSql.Page(c, filter, page.Offset, page.PerPage)));
        return Reply.Page(request, "domain_records", rows.Select(r => DomainRecordView.Of(r, domain.Serial)).ToList(), total, page);
    }

    static async Task<DomainRecordRow> Find(Db db, Caller caller, DomainRow domain, string id) =>
        await db.Read(c => DomainRecordsSql.Find(c, caller.AccountId, domain.Name, id)) ?? throw ApiError.NotFound();

    static async Task<IResult> Get(string name, string id, Caller caller, Db db)
    {
        var domain = await DomainsApi.Find(db, caller, name);
        return Reply.One("domain_record", DomainRecordView.Of(await Find(db, caller, domain, id), domain.Serial));
    }

    /// <summary>Reads and checks a whole record: the JSON types first, then the rules of the record's type.</summary>
    static DnsRecordValue Read(JsonBody body, DomainRow domain)
    {
        body.Allow(Writable, ReadOnly);
        var input = new DnsRecordInput(body.String("type", maxLength: 16), body.String("name", maxLength: 1000),
            body.String("data", maxLength: DnsRecordRules.MaxTxtBytes), body.Integer("priority", 0, ushort.MaxValue),
            body.Integer("port", 0, ushort.MaxValue), body.Integer("ttl", DnsRecordRules.MinTtl, int.MaxValue),
            body.Integer("weight", 0, ushort.MaxValue), body.Integer("flags", 0, byte.MaxValue), body.String("tag", maxLength: 16));
        body.ThrowIfInvalid();
        var value = DnsRecordRules.Check(domain.Name, input, domain.Ttl, body.Error);
        body.ThrowIfInvalid();
        return value!;
    }

    static async Task<IResult> Create(string name, JsonBody body, Caller caller, Db db, Ids ids, TimeProvider time, Zones zones)
    {
        var domain = await DomainsApi.Find(db, caller, name);
        var value = Read(body, domain);
        if (value.Type == "SOA")
            throw ApiError.Invalid("type", "a domain has one SOA record, made with it; change it with PUT");
        var now = time.GetUtcNow();
        var record = DomainRecordRow.New(ids.New(), domain.Name, caller.AccountId, Clock.Stored(now), value);
        var serial = await Change(db, caller, domain, record, now, async (c, t) => await DomainRecordsSql.Insert(c, t, record), "domain_record.created", record.Id);
        await zones.Refresh(domain.Name);
        return Reply.Created("domain_record", DomainRecordView.Of(record, serial), $"/api/v1/domains/{domain.Name}/records/{record.Id}");
    }

    static async Task<IResult> Update(string name, string id, JsonBody body, HttpContext ctx, Caller caller, Db db, TimeProvider time, Zones zones)
    {
        var domain = await DomainsApi.Find(db, caller, name);
        var record = await Find(db, caller, domain, id);
        var value = Read(body, domain);
        if (value.Type != record.Type)
            throw ApiError.Invalid("type", $"a record's type cannot change (this one is {record.Type}); create a new record instead");
        Reply.CheckIfMatch(ctx, "domain_record", DomainRecordView.Of(record, domain.Serial));
        if (value == record.Value)
            return Reply.One("domain_record", DomainRecordView.Of(record, domain.Serial)); // nothing changes, not even the serial
        record.Set(value);
        var serial = await Change(db, caller, domain, record, time.GetUtcNow(), async (c, t) =>
        {
            if (await DomainRecordsSql.Update(c, t, record) == 0)
                throw ApiError.NotFound();
        }, "domain_record.updated", record.Id);
        await zones.Refresh(domain.Name);
        return Reply.One("domain_record", DomainRecordView.Of(record, serial));
    }

    static async Task<IResult> Delete(string name, string id, HttpContext ctx, Caller caller, Db db, TimeProvider time, Zones zones)
    {
        var domain = await DomainsApi.Find(db, caller, name);
        var record = await Find(db, caller, domain, id);
        if (record.Type == "SOA")
            throw ApiError.Invalid("type", "the SOA record cannot be deleted; it goes with its domain");
        Reply.CheckIfMatch(ctx, "domain_record", DomainRecordView.Of(record, domain.Serial));
        await Change(db, caller, domain, null, time.GetUtcNow(), async (c, t) =>
        {
            if (await DomainRecordsSql.Delete(c, t, caller.AccountId, id) == 0)
                throw ApiError.NotFound();
        }, "domain_record.deleted", id);
        await zones.Refresh(domain.Name);
        return Reply.NoContent();
    }

    /// <summary>
    /// One change to a zone, in one transaction: the domain still there, the record (when one is
    /// written) fitting the others at its name, then the change, the serial's bump and the change's event (<paramref name="eventType"/>,
    /// with the written record, or none when it was deleted). Returns the new serial.
    /// </summary>
    static Task<long> Change(Db db, Caller caller, DomainRow domain, DomainRecordRow? written, DateTimeOffset now, Func<DbConnection, DbTransaction, Task> change,
        string eventType, string recordId) =>
        db.Write(async (c, t) =>
        {
            var current = await DomainsSql.Find(c, caller.AccountId, domain.Name, t) ?? throw ApiError.NotFound();
            if (written is not null)
            {
                var sameName = await DomainRecordsSql.Page(c, new DomainRecordFilter(caller.AccountId, domain.Name, Name: written.Name), 0, int.MaxValue, t);
                if (DnsRecordRules.Conflict(written.Value, sameName.Where(r => r.Id != written.Id).Select(r => r.Value)) is { } conflict)
                    throw ApiError.Invalid(conflict.Field, conflict.Message);
            }
            await change(c, t);
            var serial = DomainSetup.NextSerial(current.Serial, now);
            await DomainsSql.SetSerial(c, t, domain.Name, serial);
            await Events.Record(c, t, caller.AccountId, eventType, "domain_record", recordId,
                written is null ? null : DomainRecordView.Of(written, serial), Clock.Stored(now));
            return serial;
        });
}
