using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor domain …` and `cloudsfor record …`: DNS zones and their records (doctl's flag names).</summary>
public static class DomainCommands
{
    public static Command Domains()
    {
        var tag = Text("--tag-name", "only domains with this tag", "TAG");
        var list = Command("list", "list the domains", "cloudsfor domain list\ncloudsfor domain list --tag-name prod", tag).Does(async run =>
        {
            var domains = new List<Domain>();
            await foreach (var domain in run.Client.Domains.ListAsync(200, run.Get(tag), run.Cancel))
                domains.Add(domain);
            run.Out.List(domains, Columns.Domain, CliJson.Default.ListDomain);
        });

        var getName = Id("domain", "the domain's name");
        var get = Command("get", "show one domain (--format ZoneFile for its zone file)", "cloudsfor domain get example.com\ncloudsfor domain get example.com -o json | jq -r .zone_file", getName)
            .Does(async run => run.Out.One(await run.Client.Domains.GetAsync(run.Get(getName), run.Cancel), Columns.Domain, CliJson.Default.Domain));

        var createName = Id("domain", "the domain's name, e.g. example.com");
        var ip = Text("--ip-address", "an A (or AAAA) record for the domain itself", "IP");
        var ttl = Number("--ttl", "the default TTL of its records in seconds (default 1800)", "SECONDS");
        var create = Command("create", "create a domain: its SOA and NS records, and an A record with --ip-address",
            "cloudsfor domain create example.com --ip-address 192.0.2.10", createName, ip, ttl).Does(async run =>
            run.Out.One(await run.Client.Domains.CreateAsync(new CreateDomainRequest(run.Get(createName), run.Get(ip), run.Get(ttl)), run.Cancel),
                Columns.Domain, CliJson.Default.Domain));

        var deleteName = Id("domain", "the domain's name");
        var delete = Command("delete", "delete a domain and all its records", "cloudsfor domain delete example.com", deleteName).Does(async run =>
        {
            await run.Client.Domains.DeleteAsync(run.Get(deleteName), run.Cancel);
            Console.Error.WriteLine($"Deleted domain {run.Get(deleteName)}");
        });
        return Group("domain", "DNS domains (zones) the server's DNS server answers for", list, get, create, delete);
    }

    public static Command Records()
    {
        var listDomain = Id("domain", "the domain's name");
        var type = Text("--record-type", "only records of this type (A, MX, …)", "TYPE", "--type");
        var name = Text("--record-name", "only records at this name (www, @, www.example.com)", "NAME", "--name");
        var list = Command("list", "list a domain's records", "cloudsfor record list example.com\ncloudsfor record list example.com --record-type A --record-name www",
            listDomain, type, name).Does(async run =>
        {
            var records = new List<DomainRecord>();
            await foreach (var record in run.Client.DomainRecords.ListAsync(run.Get(listDomain), run.Get(type), run.Get(name), 200, run.Cancel))
                records.Add(record);
            run.Out.List(records, Columns.Record, CliJson.Default.ListDomainRecord);
        });

        var getDomain = Id("domain", "the domain's name");
        var getId = Id("id", "the record's id");
        var get = Command("get", "show one record", "cloudsfor record get example.com 5d0c…", getDomain, getId).Does(async run =>
            run.Out.One(await run.Client.DomainRecords.GetAsync(run.Get(getDomain), run.Get(getId), run.Cancel), Columns.Record, CliJson.Default.DomainRecord));

        var createDomain = Id("domain", "the domain's name");
        var fields = new RecordFields();
        var create = Command("create", "add a record to a domain",
            "cloudsfor record create example.com --record-type A --record-name www --record-data 192.0.2.20\n" +
            "cloudsfor record create example.com --record-type MX --record-name @ --record-data mail.example.com --record-priority 10",
            [createDomain, .. fields.All(required: true)]).Does(async run =>
        {
            var request = new DomainRecordRequest(run.Get(fields.Type)!, run.Get(fields.Name)!, run.Get(fields.Data)!, run.Get(fields.Priority), run.Get(fields.Port),
                run.Get(fields.Ttl), run.Get(fields.Weight), run.Get(fields.Flags), run.Get(fields.Tag));
            run.Out.One(await run.Client.DomainRecords.CreateAsync(run.Get(createDomain), request, run.Cancel), Columns.Record, CliJson.Default.DomainRecord);
        });

        var updateDomain = Id("domain", "the domain's name");
        var updateId = Id("id", "the record's id");
        var changes = new RecordFields();
        var update = Command("update", "change a record: the flags given replace those fields, the rest stays",
            "cloudsfor record update example.com 5d0c… --record-data 192.0.2.30 --record-ttl 300", [updateDomain, updateId, .. changes.All(required: false)])
            .Does(async run =>
            {
                var domain = run.Get(updateDomain);
                var old = await run.Client.DomainRecords.GetAsync(domain, run.Get(updateId), run.Cancel);
                // PUT replaces the whole record, so the fields not given are sent as they are.
                var request = new DomainRecordRequest(run.Get(changes.Type) ?? old.Type, run.Get(changes.Name) ?? old.Name, run.Get(changes.Data) ?? old.Data,
                    run.Get(changes.Priority) ?? old.Priority, run.Get(changes.Port) ?? old.Port, run.Get(changes.Ttl) ?? old.Ttl,
                    run.Get(changes.Weight) ?? old.Weight, run.Get(changes.Flags) ?? old.Flags, run.Get(changes.Tag) ?? old.Tag);
                run.Out.One(await run.Client.DomainRecords.UpdateAsync(domain, old.Id, request, run.Cancel), Columns.Record, CliJson.Default.DomainRecord);
            });

        var deleteDomain = Id("domain", "the domain's name");
        var deleteId = Id("id", "the record's id");
        var delete = Command("delete", "delete a record", "cloudsfor record delete example.com 5d0c…", deleteDomain, deleteId).Does(async run =>
        {
            await run.Client.DomainRecords.DeleteAsync(run.Get(deleteDomain), run.Get(deleteId), run.Cancel);
            Console.Error.WriteLine($"Deleted record {run.Get(deleteId)}");
        });
        return Group("record", "the DNS records of a domain", list, get, create, update, delete);
    }

    /// <summary>A record's fields as flags, named as doctl names them.</summary>
    sealed class RecordFields
    {
        public Option<string?> Type { get; } = Text("--record-type", "A, AAAA, CNAME, MX, SRV, NS, TXT, CAA (SOA: update only)", "TYPE", "--type");
        public Option<string?> Name { get; } = Text("--record-name", "relative to the domain (www), @ for the domain itself", "NAME", "--name");
        public Option<string?> Data { get; } = Text("--record-data", "the address, target name or text", "DATA", "--data");
        public Option<int?> Priority { get; } = Number("--record-priority", "MX and SRV priority");
        public Option<int?> Port { get; } = Number("--record-port", "SRV port");
        public Option<int?> Ttl { get; } = Number("--record-ttl", "seconds (default: the domain's)", "SECONDS");
        public Option<int?> Weight { get; } = Number("--record-weight", "SRV weight");
        public Option<int?> Flags { get; } = Number("--record-flags", "CAA flags");
        public Option<string?> Tag { get; } = Text("--record-tag", "CAA tag: issue, issuewild or iodef", "TAG");

        public Symbol[] All(bool required)
        {
            Type.Required = Name.Required = Data.Required = required;
            return [Type, Name, Data, Priority, Port, Ttl, Weight, Flags, Tag];
        }
    }
}
