using System.Net;
using CloudsFor.Tests.Infrastructure;
using DnsClient;
using DnsClient.Protocol;

namespace CloudsFor.Tests.Dns;

/// <summary>The DNS server as a .NET resolver (DnsClient.NET, a wire format independent of the server's library) sees it.</summary>
public sealed class DnsClientTests(DomainOwner owner) : IClassFixture<DomainOwner>
{
    ServerProcess Server => owner.Server;

    LookupClient Client(bool tcpFallback = true) => new(new LookupClientOptions(new NameServer(IPAddress.Loopback, Server.DnsPort))
    {
        UseCache = false, Recursion = false, Retries = 0, Timeout = TimeSpan.FromSeconds(3),
        ThrowDnsErrors = false, ContinueOnDnsError = false, UseTcpFallback = tcpFallback,
    });

    [Fact]
    public async Task Every_record_type_reads_back_as_the_api_wrote_it()
    {
        var user = owner.User;
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.10");
        await Domains.AddRecord(user.Api, d, new { type = "AAAA", name = "@", data = "2001:db8::10" });
        await Domains.AddRecord(user.Api, d, new { type = "CNAME", name = "www", data = "@" });
        await Domains.AddRecord(user.Api, d, new { type = "MX", name = "@", data = "mail.example.net", priority = 10 });
        await Domains.AddRecord(user.Api, d, new { type = "SRV", name = "_imap._tcp", data = "mail.example.net", priority = 2, weight = 3, port = 993 });
        await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "@", data = "grüße \"quoted\"" });
        await Domains.AddRecord(user.Api, d, new { type = "CAA", name = "@", data = "mailto:ca@example.net", tag = "iodef", flags = 128 });
        var serial = await Domains.Serial(user.Api, d);
        var dns = Client();

        var a = await dns.QueryAsync(d, QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, a.Header.ResponseCode);
        Assert.True(a.Header.HasAuthorityAnswer);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(a.Answers.ARecords()).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::10"), Assert.Single((await dns.QueryAsync(d, QueryType.AAAA)).Answers.AaaaRecords()).Address);
        var www = await dns.QueryAsync("www." + d, QueryType.A);
        Assert.Equal(d + ".", Assert.Single(www.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Single(www.Answers.ARecords());
        var mx = Assert.Single((await dns.QueryAsync(d, QueryType.MX)).Answers.MxRecords());
        Assert.Equal((10, "mail.example.net."), (mx.Preference, mx.Exchange.Value));
        Assert.Equal("ns1.cloudsfor.internal.", Assert.Single((await dns.QueryAsync(d, QueryType.NS)).Answers.NsRecords()).NSDName.Value);
        var soa = Assert.Single((await dns.QueryAsync(d, QueryType.SOA)).Answers.SoaRecords());
        Assert.Equal(("ns1.cloudsfor.internal.", $"hostmaster.{d}.", (ulong)serial, 1800UL), (soa.MName.Value, soa.RName.Value, soa.Serial, soa.Minimum));
        var srv = Assert.Single((await dns.QueryAsync("_imap._tcp." + d, QueryType.SRV)).Answers.SrvRecords());
        Assert.Equal((2, 3, 993, "mail.example.net."), (srv.Priority, srv.Weight, srv.Port, srv.Target.Value));
        var txt = Assert.Single((await dns.QueryAsync(d, QueryType.TXT)).Answers.TxtRecords());
        Assert.Equal("grüße \"quoted\"", string.Concat(txt.Text));
        var caa = Assert.Single((await dns.QueryAsync(d, QueryType.CAA)).Answers.CaaRecords());
        Assert.Equal((128, "iodef", "mailto:ca@example.net"), (caa.Flags, caa.Tag, caa.Value));
    }

    [Fact]
    public async Task Nxdomain_nodata_and_refused()
    {
        var user = owner.User;
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.10");
        var dns = Client();

        var missing = await dns.QueryAsync("missing." + d, QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
        Assert.True(missing.Header.HasAuthorityAnswer);
        Assert.Single(missing.Authorities.SoaRecords());
        var nodata = await dns.QueryAsync(d, QueryType.SRV);
        Assert.Equal(DnsHeaderResponseCode.NoError, nodata.Header.ResponseCode);
        Assert.Empty(nodata.Answers);
        Assert.Single(nodata.Authorities.SoaRecords());
        var refused = await dns.QueryAsync("example.org", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.Refused, refused.Header.ResponseCode);
        Assert.False(refused.Header.HasAuthorityAnswer);
        Assert.False(refused.Header.RecursionAvailable);
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_retried_over_tcp()
    {
        var user = owner.User;
        var d = await Domains.Create(user.Api);
        for (var i = 0; i < 60; i++)
            await Domains.AddRecord(user.Api, d, new { type = "AAAA", name = "many", data = $"2001:db8::{i + 1:x}" });

        // Without the fallback, the client gives up on the truncated (TC) answer and says so.
        var truncated = await Assert.ThrowsAsync<DnsResponseException>(() => Client(tcpFallback: false).QueryAsync("many." + d, QueryType.AAAA));
        Assert.Contains("truncated", truncated.Message);
        var full = await Client().QueryAsync("many." + d, QueryType.AAAA);
        Assert.False(full.Header.ResultTruncated);
        Assert.Equal(60, full.Answers.AaaaRecords().Count());
    }
}
