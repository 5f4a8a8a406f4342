using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>/domains/{name}/records: the DigitalOcean field set, validated per type, every change bumping the SOA serial.</summary>
public sealed class DomainRecordTests(DomainOwner owner) : IClassFixture<DomainOwner>
{
    ServerProcess Server => owner.Server;

    Task<(TestUser User, string Domain)> NewZone() => owner.NewZone();

    public static TheoryData<string, object, string> ValidRecords => new()
    {
        { "A", new { type = "A", name = "www", data = "192.0.2.1" }, "192.0.2.1" },
        { "AAAA", new { type = "AAAA", name = "www", data = "2001:0DB8:0:0::1" }, "2001:db8::1" },
        { "CNAME", new { type = "CNAME", name = "alias", data = "target.example.net." }, "target.example.net" },
        { "CNAME to the apex", new { type = "CNAME", name = "alias2", data = "@" }, "{domain}" },
        { "MX", new { type = "MX", name = "@", data = "Mail.Example.NET", priority = 10 }, "mail.example.net" },
        { "null MX", new { type = "MX", name = "@", data = ".", priority = 0 }, "." },
        { "NS delegation", new { type = "NS", name = "sub", data = "ns.example.net" }, "ns.example.net" },
        { "SRV", new { type = "SRV", name = "_sip._tcp", data = "sip.example.net", priority = 1, weight = 5, port = 5060 }, "sip.example.net" },
        { "TXT", new { type = "TXT", name = "@", data = "v=spf1 include:example.net -all" }, "v=spf1 include:example.net -all" },
        { "CAA issue", new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issue", flags = 0 }, "letsencrypt.org" },
        { "CAA issuewild none", new { type = "CAA", name = "@", data = ";", tag = "issuewild", flags = 128 }, ";" },
        { "CAA iodef", new { type = "CAA", name = "@", data = "mailto:security@example.net", tag = "iodef" }, "mailto:security@example.net" },
        { "wildcard", new { type = "A", name = "*.dev", data = "192.0.2.9" }, "192.0.2.9" },
        { "service label", new { type = "TXT", name = "_dmarc", data = "v=DMARC1; p=none" }, "v=DMARC1; p=none" },
    };

    [Theory]
    [MemberData(nameof(ValidRecords))]
    public async Task Every_type_is_created_with_201_and_its_data_normalized(string what, object record, string expectedData)
    {
        var (user, domain) = await NewZone();
        var r = (await user.Api.Post($"/domains/{domain}/records", record)).Expect(201);
        var created = r["domain_record"];
        Formats.AssertId(created.GetProperty("id"));
        Assert.True(expectedData.Replace("{domain}", domain) == created.Str("data"), what);
        Assert.Equal($"/api/v1/domains/{domain}/records/{created.Str("id")}", new Uri(new Uri(Server.Origin), r.Header("Location")).AbsolutePath);
        Assert.Equal(1800, created.GetProperty("ttl").GetInt32());
        foreach (var field in new[] { "type", "name", "data", "priority", "port", "ttl", "weight", "flags", "tag" })
            Assert.True(created.TryGetProperty(field, out _), $"{what}: no {field}");
        Assert.Equal(created.ToString(), (await user.Api.Get($"/domains/{domain}/records/{created.Str("id")}")).Expect(200)["domain_record"].ToString());
    }

    [Fact]
    public async Task Fields_a_type_does_not_use_are_null_and_names_are_relative()
    {
        var (user, domain) = await NewZone();
        var a = await Domains.AddRecord(user.Api, domain, new { type = "a", name = $"WWW.{domain}.", data = "192.0.2.1", ttl = 60 });
        Assert.Equal("A", a.Str("type"));
        Assert.Equal("www", a.Str("name"));
        Assert.Equal(60, a.GetProperty("ttl").GetInt32());
        foreach (var field in new[] { "priority", "port", "weight", "flags", "tag" })
            Assert.Equal(JsonValueKind.Null, a.GetProperty(field).ValueKind);
        var caa = await Domains.AddRecord(user.Api, domain, new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issue" });
        Assert.Equal(0, caa.GetProperty("flags").GetInt32());
    }

    public static TheoryData<object, string> InvalidRecords => new()
    {
        { new { type = "A", name = "www", data = "192.0.2" }, "data" },
        { new { type = "A", name = "www", data = "256.0.0.1" }, "data" },
        { new { type = "A", name = "www", data = "01.2.3.4" }, "data" },
        { new { type = "A", name = "www", data = "2001:db8::1" }, "data" },
        { new { type = "AAAA", name = "www", data = "192.0.2.1" }, "data" },
        { new { type = "AAAA", name = "www", data = "fe80::1%eth0" }, "data" },
        { new { type = "A", name = "www", data = "192.0.2.1", priority = 10 }, "priority" },
        { new { type = "A", name = "www", data = "192.0.2.1", ttl = 29 }, "ttl" },
        { new { type = "A", name = "bad name", data = "192.0.2.1" }, "name" },
        { new { type = "A", name = "a.*", data = "192.0.2.1" }, "name" },
        { new { type = "A", name = "www.elsewhere.net.", data = "192.0.2.1" }, "name" },
        { new { type = "A", name = new string('x', 64), data = "192.0.2.1" }, "name" },
        { new { type = "A", data = "192.0.2.1" }, "name" },
        { new { type = "A", name = "www" }, "data" },
        { new { name = "www", data = "192.0.2.1" }, "type" },
        { new { type = "PTR", name = "www", data = "host.example.net" }, "type" },
        { new { type = "CNAME", name = "@", data = "example.net" }, "name" },
        { new { type = "CNAME", name = "x", data = "single-label" }, "data" },
        { new { type = "CNAME", name = "x", data = "bad..name" }, "data" },
        { new { type = "MX", name = "@", data = "mail.example.net" }, "priority" },
        { new { type = "MX", name = "@", data = "mail.example.net", priority = 70000 }, "priority" },
        { new { type = "MX", name = "@", data = "_mail.example.net", priority = 10 }, "data" },
        { new { type = "SRV", name = "_sip._tcp", data = "sip.example.net", priority = 1, weight = 1 }, "port" },
        { new { type = "SRV", name = "sip", data = "sip.example.net", priority = 1, weight = 1, port = 5060 }, "name" },
        { new { type = "NS", name = "sub", data = "192.0.2.1" }, "data" },
        { new { type = "TXT", name = "@", data = "" }, "data" },
        { new { type = "TXT", name = "@", data = "line\nbreak" }, "data" },
        { new { type = "TXT", name = "@", data = new string('t', 4097) }, "data" },
        { new { type = "CAA", name = "@", data = "letsencrypt.org" }, "tag" },
        { new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issuer" }, "tag" },
        { new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issue", flags = 256 }, "flags" },
        { new { type = "CAA", name = "@", data = "ftp://example.net", tag = "iodef" }, "data" },
        { new { type = "CAA", name = "@", data = "not a domain", tag = "issue" }, "data" },
        { new { type = "SOA", name = "@", data = "ns1.example.net hostmaster.example.net 1 2 3 4 5" }, "type" },
        { new { type = "A", name = "www", data = "192.0.2.1", id = "x" }, "id" },
    };

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public async Task Invalid_records_are_422_naming_the_field_and_change_nothing(object record, string field)
    {
        var (user, domain) = await NewZone();
        var serial = await Domains.Serial(user.Api, domain);
        var r = await user.Api.Post($"/domains/{domain}/records", record);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
        Assert.Equal(2, (await Domains.Records(user.Api, domain)).Count);
        Assert.Equal(serial, await Domains.Serial(user.Api, domain));
    }

    [Fact]
    public async Task A_cname_stands_alone_at_its_name()
    {
        var (user, domain) = await NewZone();
        await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        var r = await user.Api.Post($"/domains/{domain}/records", new { type = "CNAME", name = "www", data = "other.example.net" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["name"], r.ErrorFields());

        await Domains.AddRecord(user.Api, domain, new { type = "CNAME", name = "alias", data = "other.example.net" });
        (await user.Api.Post($"/domains/{domain}/records", new { type = "TXT", name = "alias", data = "hello" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Post($"/domains/{domain}/records", new { type = "CNAME", name = "alias", data = "third.example.net" })).ExpectError(422, "unprocessable_entity");
    }

    [Fact]
    public async Task An_identical_record_twice_is_422_but_the_same_name_with_other_data_is_fine()
    {
        var (user, domain) = await NewZone();
        await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        (await user.Api.Post($"/domains/{domain}/records", new { type = "A", name = "www", data = "192.0.2.1", ttl = 60 })).ExpectError(422, "unprocessable_entity");
        await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.2" });
        await Domains.AddRecord(user.Api, domain, new { type = "AAAA", name = "www", data = "2001:db8::2" });
    }

    [Fact]
    public async Task List_filters_by_type_and_by_name_relative_or_full()
    {
        var (user, domain) = await NewZone();
        await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        await Domains.AddRecord(user.Api, domain, new { type = "AAAA", name = "www", data = "2001:db8::1" });
        await Domains.AddRecord(user.Api, domain, new { type = "A", name = "api", data = "192.0.2.2" });

        Assert.Equal(2, (await Domains.Records(user.Api, domain, "&type=A")).Count);
        Assert.Single(await Domains.Records(user.Api, domain, "&type=aaaa"));
        Assert.Equal(2, (await Domains.Records(user.Api, domain, "&name=www")).Count);
        Assert.Equal(2, (await Domains.Records(user.Api, domain, $"&name=www.{domain}")).Count);
        Assert.Single(await Domains.Records(user.Api, domain, "&name=www&type=AAAA"));
        Assert.Equal(2, (await Domains.Records(user.Api, domain, "&name=@")).Count);
        var r = (await user.Api.Get($"/domains/{domain}/records?type=A&per_page=1")).Expect(200);
        Assert.Equal("2", r.Header("X-Total-Count"));
        Assert.Contains("type=A", r["links"].GetProperty("pages").GetProperty("next").GetString());
        (await user.Api.Get($"/domains/{domain}/records?type=PTR")).ExpectError(400, "bad_request");
    }

    [Fact]
    public async Task Put_replaces_the_whole_record_and_is_idempotent()
    {
        var (user, domain) = await NewZone();
        var mx = await Domains.AddRecord(user.Api, domain, new { type = "MX", name = "@", data = "mx1.example.net", priority = 10, ttl = 300 });
        var path = $"/domains/{domain}/records/{mx.Str("id")}";
        var body = new { type = "MX", name = "mail", data = "mx2.example.net", priority = 20 };
        var first = (await user.Api.Put(path, body)).Expect(200)["domain_record"];
        Assert.Equal(("mail", "mx2.example.net", 20), (first.Str("name"), first.Str("data"), first.GetProperty("priority").GetInt32()));
        Assert.Equal(1800, first.GetProperty("ttl").GetInt32()); // whole record: an omitted ttl is the default again
        var serial = await Domains.Serial(user.Api, domain);
        var second = (await user.Api.Put(path, body)).Expect(200);
        Assert.Equal(first.ToString(), second["domain_record"].ToString());
        Assert.Equal(serial, await Domains.Serial(user.Api, domain));
        Assert.Equal(first.ToString(), (await user.Api.Get(path)).Expect(200)["domain_record"].ToString());
    }

    [Fact]
    public async Task Put_checks_like_create_and_cannot_change_the_type()
    {
        var (user, domain) = await NewZone();
        var a = await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        await Domains.AddRecord(user.Api, domain, new { type = "CNAME", name = "alias", data = "x.example.net" });
        var path = $"/domains/{domain}/records/{a.Str("id")}";
        (await user.Api.Put(path, new { type = "AAAA", name = "www", data = "2001:db8::1" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Put(path, new { type = "A", name = "www", data = "nope" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Put(path, new { type = "A", name = "alias", data = "192.0.2.1" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Put(path, new { name = "www" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Put($"/domains/{domain}/records/{Formats.RandomId()}", new { type = "A", name = "www", data = "192.0.2.1" })).ExpectError(404, "not_found");
        Assert.Equal("192.0.2.1", (await user.Api.Get(path)).Expect(200)["domain_record"].Str("data"));
    }

    [Fact]
    public async Task Put_and_delete_honour_if_match()
    {
        var (user, domain) = await NewZone();
        var a = await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        var path = $"/domains/{domain}/records/{a.Str("id")}";
        var etag = (await user.Api.Get(path)).Header("ETag")!;
        (await user.Api.Get(path, new Dictionary<string, string> { ["If-None-Match"] = etag })).Expect(304);
        (await user.Api.Put(path, new { type = "A", name = "www", data = "192.0.2.2" }, new Dictionary<string, string> { ["If-Match"] = etag })).Expect(200);
        (await user.Api.Put(path, new { type = "A", name = "www", data = "192.0.2.3" }, new Dictionary<string, string> { ["If-Match"] = etag })).ExpectError(412, "precondition_failed");
        (await user.Api.Delete(path, new Dictionary<string, string> { ["If-Match"] = etag })).ExpectError(412, "precondition_failed");
        Assert.Equal("192.0.2.2", (await user.Api.Get(path)).Expect(200)["domain_record"].Str("data"));
    }

    [Fact]
    public async Task Delete_is_204_then_404()
    {
        var (user, domain) = await NewZone();
        var a = await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        var path = $"/domains/{domain}/records/{a.Str("id")}";
        Assert.Equal("", (await user.Api.Delete(path)).Expect(204).Text);
        (await user.Api.Get(path)).ExpectError(404, "not_found");
        (await user.Api.Delete(path)).ExpectError(404, "not_found");
        // The apex NS records are ordinary records: they may go too.
        var ns = (await Domains.Records(user.Api, domain, "&type=NS")).Single();
        (await user.Api.Delete($"/domains/{domain}/records/{ns.Str("id")}")).Expect(204);
    }

    [Fact]
    public async Task The_soa_record_can_only_be_updated_and_its_serial_is_the_servers()
    {
        var (user, domain) = await NewZone();
        var soa = (await Domains.Records(user.Api, domain, "&type=SOA")).Single();
        var path = $"/domains/{domain}/records/{soa.Str("id")}";
        var fields = soa.Str("data").Split(' ');
        Assert.Equal(["ns1.cloudsfor.internal", $"hostmaster.{domain}"], fields[..2]);
        Assert.Equal(["10800", "3600", "604800", "1800"], fields[3..]);

        (await user.Api.Delete(path)).ExpectError(422, "unprocessable_entity");
        var updated = (await user.Api.Put(path, new { type = "SOA", name = "@", data = $"ns1.cloudsfor.internal admin.{domain} 1 7200 1800 1209600 300", ttl = 3600 }))
            .Expect(200)["domain_record"];
        var now = updated.Str("data").Split(' ');
        Assert.Equal(["ns1.cloudsfor.internal", $"admin.{domain}"], now[..2]);
        Assert.Equal(["7200", "1800", "1209600", "300"], now[3..]);
        Assert.True(long.Parse(now[2]) > long.Parse(fields[2]), "the serial did not grow");
        Assert.Equal(3600, updated.GetProperty("ttl").GetInt32());
        (await user.Api.Put(path, new { type = "SOA", name = "www", data = $"ns1.cloudsfor.internal admin.{domain} 1 7200 1800 1209600 300" })).ExpectError(422, "unprocessable_entity");
        (await user.Api.Put(path, new { type = "SOA", name = "@", data = "ns1.cloudsfor.internal" })).ExpectError(422, "unprocessable_entity");
        Assert.Contains($"IN\tSOA\tns1.cloudsfor.internal. admin.{domain}. {now[2]} 7200 1800 1209600 300", (await user.Api.Get($"/domains/{domain}")).Expect(200)["domain"].Str("zone_file"));
    }

    [Fact]
    public async Task Every_change_bumps_the_serial()
    {
        var (user, domain) = await NewZone();
        var serials = new List<long> { await Domains.Serial(user.Api, domain) };
        var a = await Domains.AddRecord(user.Api, domain, new { type = "A", name = "www", data = "192.0.2.1" });
        serials.Add(await Domains.Serial(user.Api, domain));
        (await user.Api.Put($"/domains/{domain}/records/{a.Str("id")}", new { type = "A", name = "www", data = "192.0.2.2" })).Expect(200);
        serials.Add(await Domains.Serial(user.Api, domain));
        (await user.Api.Delete($"/domains/{domain}/records/{a.Str("id")}")).Expect(204);
        serials.Add(await Domains.Serial(user.Api, domain));
        Assert.Equal(serials.Order(), serials);
        Assert.Equal(serials.Count, serials.Distinct().Count());
    }

    [Fact]
    public async Task The_zone_file_is_a_valid_master_file_with_every_type()
    {
        var (user, domain) = await NewZone();
        foreach (var (_, record, _) in ValidRecords.Select(row => ((string)row[0], row[1], (string)row[2])))
            (await user.Api.Post($"/domains/{domain}/records", record)).Expect(201);
        await Domains.AddRecord(user.Api, domain, new { type = "TXT", name = "long", data = "quote\" backslash\\ ünï " + new string('z', 600) });
        var zone = (await user.Api.Get($"/domains/{domain}")).Expect(200)["domain"].Str("zone_file");
        Assert.Contains("\"quote\\\" backslash\\\\ \\195\\188n\\195\\175 zz", zone);

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, zone);
            var (code, output) = await Tools.Run("named-checkzone", "-i", "local", domain, file);
            Assert.True(code == 0, $"named-checkzone refused the zone file:\n{output}\n{zone}");
            Assert.Contains($"loaded serial {await Domains.Serial(user.Api, domain)}", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_record_can_point_at_a_vm_and_a_vm_named_like_a_domain_adds_no_record()
    {
        var (user, domain) = await NewZone();
        var vm = await Vms.CreateActive(user.Api, name: "web." + domain);
        Assert.Equal(2, (await Domains.Records(user.Api, domain)).Count);
        var address = vm.GetProperty("networks").GetProperty("v4")[0].Str("ip_address");
        var a = await Domains.AddRecord(user.Api, domain, new { type = "A", name = "web", data = address });
        Assert.Equal(address, a.Str("data"));
        var answer = await Dig.Query(Server, "web." + domain);
        Assert.Equal([address], answer.Data("A"));
    }
}
