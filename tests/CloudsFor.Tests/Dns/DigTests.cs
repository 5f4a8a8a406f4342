using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Dns;

/// <summary>
/// The DNS server as dig sees it: authoritative answers for every record type, NXDOMAIN and NODATA
/// with the SOA, REFUSED outside the managed zones, CNAME chains, wildcards, delegations, truncation
/// with TCP fallback, and API changes answered by the very next query.
/// </summary>
public sealed class DigTests(DomainOwner owner) : IClassFixture<DomainOwner>
{
    ServerProcess Server => owner.Server;

    Task<(TestUser User, string Domain)> NewZone() => owner.NewZone("192.0.2.10");

    [Fact]
    public async Task Every_record_type_is_answered_authoritatively()
    {
        var (user, d) = await NewZone();
        await Domains.AddRecord(user.Api, d, new { type = "AAAA", name = "@", data = "2001:db8::10" });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "www", data = "@" });
        await Domains.AddRecord(user.Api, d, new { type = "MX", name = "@", data = "mail." + d, priority = 10 });
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "mail", data = "192.0.2.25", ttl = 300 });
        await Domains.AddRecord(user.Api, d, new { type = "SRV", name = "_sip._tcp", data = "sip.example.net", priority = 1, weight = 5, port = 5060 });
        await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "@", data = "v=spf1 -all" });
        await Domains.AddRecord(user.Api, d, new { type = "CAA", name = "@", data = "letsencrypt.org", tag = "issue" });
        var serial = await Domains.Serial(user.Api, d);

        var a = await Dig.Query(Server, d, "A");
        Assert.Equal(("NOERROR", true), (a.Status, a.Authoritative));
        Assert.Equal(["192.0.2.10"], a.Data("A"));
        Assert.Equal(1800, a.Answer[0].Ttl);
        Assert.Equal(["2001:db8::10"], (await Dig.Query(Server, d, "AAAA")).Data("AAAA"));
        Assert.Equal(["ns1.cloudsfor.internal."], (await Dig.Query(Server, d, "NS")).Data("NS"));
        Assert.Equal([$"ns1.cloudsfor.internal. hostmaster.{d}. {serial} 10800 3600 604800 1800"], (await Dig.Query(Server, d, "SOA")).Data("SOA"));
        var mx = await Dig.Query(Server, d, "MX");
        Assert.Equal([$"10 mail.{d}."], mx.Data("MX"));
        Assert.Contains(mx.Additional, r => r.Name == $"mail.{d}." && r.Type == "A" && r.Data == "192.0.2.25" && r.Ttl == 300);
        Assert.Equal(["1 5 5060 sip.example.net."], (await Dig.Query(Server, "_sip._tcp." + d, "SRV")).Data("SRV"));
        Assert.Equal(["\"v=spf1 -all\""], (await Dig.Query(Server, d, "TXT")).Data("TXT"));
        Assert.Equal(["0 issue \"letsencrypt.org\""], (await Dig.Query(Server, d, "CAA")).Data("CAA"));
        var www = await Dig.Query(Server, "WWW." + d.ToUpperInvariant(), "A");
        // Names compress against the question, so they come back in its case; DNS names compare without case.
        Assert.Equal([d + "."], www.Data("CNAME").Select(n => n.ToLowerInvariant()));
        Assert.Equal(["192.0.2.10"], www.Data("A"));
        Assert.Equal(new[] { "A", "AAAA", "NS", "SOA", "MX", "TXT", "CAA" }.Order(), (await Dig.Query(Server, d, "ANY", "+tcp")).Answer.Select(r => r.Type).Distinct().Order());
    }

    [Fact]
    public async Task A_missing_name_is_nxdomain_and_a_missing_type_nodata_both_with_the_soa()
    {
        var (user, d) = await NewZone();
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "deep.below", data = "192.0.2.1" });

        var missing = await Dig.Query(Server, "nope." + d);
        Assert.Equal(("NXDOMAIN", true), (missing.Status, missing.Authoritative));
        Assert.Empty(missing.Answer);
        var soa = Assert.Single(missing.Authority);
        Assert.Equal(("SOA", d + "."), (soa.Type, soa.Name));
        Assert.Equal(1800, soa.Ttl); // min(SOA TTL, minimum): how long the "no" may be cached

        var nodata = await Dig.Query(Server, d, "MX");
        Assert.Equal(("NOERROR", true), (nodata.Status, nodata.Authoritative));
        Assert.Empty(nodata.Answer);
        Assert.Equal("SOA", Assert.Single(nodata.Authority).Type);
        // A name with nothing but names below it exists (an empty non-terminal).
        var between = await Dig.Query(Server, "below." + d);
        Assert.Equal("NOERROR", between.Status);
        Assert.Empty(between.Answer);
    }

    [Fact]
    public async Task Names_outside_the_managed_zones_are_refused_never_resolved()
    {
        foreach (var (name, type) in new[] { ("example.com", "A"), ("test", "SOA"), (".", "NS"), ("unmanaged-" + Domains.UniqueName(), "A"), ("localhost", "A") })
        {
            var r = await Dig.Query(Server, name, type, "+rec");
            Assert.Equal("REFUSED", r.Status);
            Assert.False(r.Authoritative, $"{name}: aa set");
            Assert.DoesNotContain("ra", r.Flags);
            Assert.Empty(r.Answer);
        }
        var (_, d) = await NewZone();
        Assert.Equal("REFUSED", (await Dig.Query(Server, d, "A", "-c", "CH")).Status);
    }

    [Fact]
    public async Task Cname_chains_are_followed_inside_the_zone_only()
    {
        var (user, d) = await NewZone();
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "one", data = "two." + d });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "two", data = "three." + d });
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "three", data = "192.0.2.3" });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "out", data = "www.example.net" });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "dangling", data = "missing." + d });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "loop1", data = "loop2." + d });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "loop2", data = "loop1." + d });

        var chain = await Dig.Query(Server, "one." + d);
        Assert.Equal(["CNAME", "CNAME", "A"], chain.Answer.Select(r => r.Type));
        Assert.Equal(["192.0.2.3"], chain.Data("A"));
        var outside = await Dig.Query(Server, "out." + d);
        Assert.Equal(("NOERROR", true), (outside.Status, outside.Authoritative));
        Assert.Equal(["www.example.net."], outside.Data("CNAME"));
        Assert.Single(outside.Answer);
        var dangling = await Dig.Query(Server, "dangling." + d);
        Assert.Equal("NXDOMAIN", dangling.Status);
        Assert.Equal([$"missing.{d}."], dangling.Data("CNAME"));
        var loop = await Dig.Query(Server, "loop1." + d);
        Assert.Equal("NOERROR", loop.Status);
        Assert.Equal(2, loop.Answer.Count);
        Assert.Equal([$"two.{d}."], (await Dig.Query(Server, "one." + d, "CNAME")).Data("CNAME"));
    }

    [Fact]
    public async Task Wildcards_answer_for_names_that_do_not_exist()
    {
        var (user, d) = await NewZone();
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "*", data = "192.0.2.99" });
        await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "*.dev", data = "dev wildcard" });
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "real", data = "192.0.2.1" });

        var any = await Dig.Query(Server, "anything." + d);
        Assert.Equal(("NOERROR", true), (any.Status, any.Authoritative));
        var synthesized = Assert.Single(any.Answer);
        Assert.Equal(($"anything.{d}.", "192.0.2.99"), (synthesized.Name, synthesized.Data));
        Assert.Equal(["192.0.2.99"], (await Dig.Query(Server, "a.b.c." + d)).Data("A"));
        Assert.Equal(["192.0.2.1"], (await Dig.Query(Server, "real." + d)).Data("A"));
        Assert.Equal("NOERROR", (await Dig.Query(Server, "real." + d, "TXT")).Status); // real exists: no wildcard for it
        Assert.Empty((await Dig.Query(Server, "real." + d, "TXT")).Answer);
        Assert.Equal(["\"dev wildcard\""], (await Dig.Query(Server, "x.dev." + d, "TXT")).Data("TXT"));
        var nodata = await Dig.Query(Server, "x.dev." + d, "A"); // *.dev has no A, and dev exists, so no fall back to *
        Assert.Equal("NOERROR", nodata.Status);
        Assert.Empty(nodata.Answer);
    }

    [Fact]
    public async Task A_delegated_name_gets_a_referral_with_glue()
    {
        var (user, d) = await NewZone();
        await Domains.AddRecord(user.Api, d, new { type = "NS", name = "sub", data = "ns.sub." + d });
        await Domains.AddRecord(user.Api, d, new { type = "A", name = "ns.sub", data = "192.0.2.53" });
        var r = await Dig.Query(Server, "host.sub." + d);
        Assert.Equal("NOERROR", r.Status);
        Assert.False(r.Authoritative, "a referral is not authoritative");
        Assert.Empty(r.Answer);
        Assert.Equal([$"ns.sub.{d}."], r.Authority.Where(x => x.Type == "NS").Select(x => x.Data));
        Assert.Contains(r.Additional, x => x.Type == "A" && x.Data == "192.0.2.53");
    }

    [Fact]
    public async Task Long_txt_is_split_into_255_byte_strings()
    {
        var (user, d) = await NewZone();
        var text = new string('a', 255) + new string('b', 100);
        await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "dkim", data = text });
        var r = await Dig.Query(Server, "dkim." + d, "TXT");
        Assert.Equal([$"\"{new string('a', 255)}\" \"{new string('b', 100)}\""], r.Data("TXT"));
    }

    [Fact]
    public async Task A_large_answer_is_truncated_over_udp_and_complete_over_tcp()
    {
        var (user, d) = await NewZone();
        for (var i = 0; i < 12; i++)
            await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "big", data = $"{i:D2}-" + new string('x', 100) });

        var udp = await Dig.Query(Server, "big." + d, "TXT", "+noedns", "+ignore");
        Assert.Contains("tc", udp.Flags);
        Assert.True(udp.Answer.Count < 12, "a 1.3 kB answer fit in 512 bytes");
        var fallback = await Dig.Query(Server, "big." + d, "TXT", "+noedns");
        Assert.Contains("Truncated, retrying in TCP mode", fallback.Output);
        Assert.Equal(("TCP", 12), (fallback.Transport, fallback.Answer.Count));
        var tcp = await Dig.Query(Server, "big." + d, "TXT", "+tcp");
        Assert.Equal(("TCP", 12, false), (tcp.Transport, tcp.Answer.Count, tcp.Flags.Contains("tc")));
        // EDNS lets more through UDP: up to 1232 bytes, still not all of it.
        var edns = await Dig.Query(Server, "big." + d, "TXT", "+bufsize=4096", "+ignore");
        Assert.Contains("tc", edns.Flags);
        Assert.Contains("udp: 1232", edns.Output);
    }

    [Fact]
    public async Task A_change_through_the_api_is_the_next_answer_and_bumps_the_serial()
    {
        var (user, d) = await NewZone();
        var serial = (await Dig.Query(Server, d, "SOA")).Answer[0].Data.Split(' ')[2];
        Assert.Equal("NXDOMAIN", (await Dig.Query(Server, "new." + d)).Status);

        var record = await Domains.AddRecord(user.Api, d, new { type = "A", name = "new", data = "192.0.2.1" });
        Assert.Equal(["192.0.2.1"], (await Dig.Query(Server, "new." + d)).Data("A"));
        var after = (await Dig.Query(Server, d, "SOA")).Answer[0].Data.Split(' ')[2];
        Assert.True(long.Parse(after) > long.Parse(serial), $"serial {serial} then {after}");

        (await user.Api.Put($"/domains/{d}/records/{record.Str("id")}", new { type = "A", name = "new", data = "192.0.2.2" })).Expect(200);
        Assert.Equal(["192.0.2.2"], (await Dig.Query(Server, "new." + d)).Data("A"));
        (await user.Api.Delete($"/domains/{d}/records/{record.Str("id")}")).Expect(204);
        Assert.Equal("NXDOMAIN", (await Dig.Query(Server, "new." + d)).Status);
        (await user.Api.Delete($"/domains/{d}")).Expect(204);
        Assert.Equal("REFUSED", (await Dig.Query(Server, d)).Status);
    }

    [Fact]
    public async Task Deleting_a_user_stops_their_zones()
    {
        var user = await TestAccounts.Create(Server);
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.1");
        Assert.Equal("NOERROR", (await Dig.Query(Server, d)).Status);
        (await Server.Admin.Delete($"/users/{user.Id}")).Expect(204);
        await Poll.Until(() => Dig.Query(Server, d), r => r.Status == "REFUSED", "the zone of a deleted user going away");
    }
}
