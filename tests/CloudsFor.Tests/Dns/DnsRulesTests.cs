using System.Net;
using System.Text;
using CloudsFor.Model;

namespace CloudsFor.Tests.Dns;

/// <summary>The pure rules behind /domains: names, TXT splitting, serials, and the serve options of the DNS server.</summary>
public sealed class DnsRulesTests
{
    [Theory]
    [InlineData("example.com", "@", "@")]
    [InlineData("example.com", "WWW", "www")]
    [InlineData("example.com", "www.example.com.", "www")]
    [InlineData("example.com", "example.com.", "@")]
    [InlineData("example.com", "*", "*")]
    [InlineData("example.com", "*.dev", "*.dev")]
    [InlineData("example.com", "_sip._tcp", "_sip._tcp")]
    [InlineData("example.com", "münchen", "xn--mnchen-3ya")]
    [InlineData("example.com", "www.example.com", "www.example.com")]
    public void Owner_names_are_relative_to_the_zone(string zone, string input, string relative) =>
        Assert.Equal(relative, DomainNames.Owner(zone, input, out _));

    [Theory]
    [InlineData("dev.*")]
    [InlineData("a*")]
    [InlineData("other.net.")]
    [InlineData("-x")]
    [InlineData("a b")]
    [InlineData("")]
    public void Bad_owner_names_say_why(string input)
    {
        Assert.Null(DomainNames.Owner("example.com", input, out var problem));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void Owner_names_keep_the_253_character_limit_with_the_zone()
    {
        var zone = new string('z', 60) + ".example.com";
        var label = new string('a', 63);
        Assert.NotNull(DomainNames.Owner(zone, $"{label}.{label}", out _));
        Assert.Null(DomainNames.Owner(zone, $"{label}.{label}.{label}", out _));
    }

    [Fact]
    public void Txt_is_cut_into_255_byte_strings_never_inside_a_character()
    {
        Assert.Equal([255, 45], DnsRecordRules.TxtStrings(new string('a', 300)).Select(s => s.Length));
        var text = new string('a', 254) + "ü" + "tail";
        var strings = DnsRecordRules.TxtStrings(text);
        Assert.Equal([254, 6], strings.Select(s => s.Length));
        Assert.Equal(text, string.Concat(strings.Select(Encoding.UTF8.GetString)));
        Assert.Single(DnsRecordRules.TxtStrings("x"));
    }

    [Fact]
    public void Serials_follow_the_clock_and_always_grow()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.Equal(1_800_000_000, DomainSetup.NextSerial(0, now));
        Assert.Equal(1_800_000_001, DomainSetup.NextSerial(1_800_000_000, now));
        Assert.Equal(1_800_000_006, DomainSetup.NextSerial(1_800_000_005, now));
    }

    [Fact]
    public void Identical_records_conflict_whatever_their_ttl_and_cnames_stand_alone()
    {
        var a = new DnsRecordValue("A", "www", "192.0.2.1", null, null, 60, null, null, null);
        Assert.Equal("data", DnsRecordRules.Conflict(a, [a with { Ttl = 300 }])?.Field);
        Assert.Null(DnsRecordRules.Conflict(a, [a with { Data = "192.0.2.2" }]));
        var cname = new DnsRecordValue("CNAME", "www", "x.example.net", null, null, 60, null, null, null);
        Assert.Equal("name", DnsRecordRules.Conflict(cname, [a])?.Field);
        Assert.Equal("name", DnsRecordRules.Conflict(a, [cname])?.Field);
    }

    [Fact]
    public void Serve_options_read_the_dns_listener_and_name_servers()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5353), ServeOptions.Parse([], _ => null).DnsListen);
        Assert.Null(ServeOptions.Parse(["--dns-listen", "off"], _ => null).DnsListen);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 53), ServeOptions.Parse([], v => v == "CLOUDSFOR_DNS_LISTEN" ? "127.0.0.2:53" : null).DnsListen);
        Assert.Equal(["ns1.example.net", "ns2.example.net"], ServeOptions.Parse(["--dns-nameservers", "NS1.example.net., ns2.example.net"], _ => null).DnsNameservers);
        Assert.Throws<FormatException>(() => ServeOptions.Parse(["--dns-listen", "5353"], _ => null));
        Assert.Throws<FormatException>(() => ServeOptions.Parse(["--dns-nameservers", "localhost"], _ => null));
    }
}
