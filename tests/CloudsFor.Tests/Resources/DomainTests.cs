using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>/domains: zones known by name, created with SOA and NS records (and an apex address when asked), one account each.</summary>
public sealed class DomainTests(DomainOwner owner) : IClassFixture<DomainOwner>
{
    ServerProcess Server => owner.Server;

    [Fact]
    public async Task Create_answers_201_with_the_zone_and_its_soa_ns_and_address_records()
    {
        var user = owner.User;
        var name = Domains.UniqueName();
        var r = (await user.Api.Post("/domains", new { name, ip_address = "192.0.2.10" })).Expect(201);
        var domain = r["domain"];
        Assert.Equal(name, domain.Str("name"));
        Assert.Equal(1800, domain.GetProperty("ttl").GetInt32());
        Assert.Equal($"/api/v1/domains/{name}", new Uri(new Uri(Server.Origin), r.Header("Location")).AbsolutePath);
        Assert.NotNull(r.Header("ETag"));
        var zone = domain.Str("zone_file");
        Assert.Contains($"{name}.\t1800\tIN\tSOA\tns1.cloudsfor.internal. hostmaster.{name}. ", zone);
        Assert.Contains($"{name}.\t1800\tIN\tNS\tns1.cloudsfor.internal.", zone);
        Assert.Contains($"{name}.\t1800\tIN\tA\t192.0.2.10", zone);

        var records = await Domains.Records(user.Api, name);
        Assert.Equal(["SOA", "NS", "A"], records.Select(x => x.Str("type")));
        Assert.All(records, x => Formats.AssertId(x.GetProperty("id")));
        Assert.All(records, x => Assert.Equal("@", x.Str("name")));
        Assert.Equal(domain.ToString(), (await user.Api.Get($"/domains/{name}")).Expect(200)["domain"].ToString());
    }

    [Fact]
    public async Task An_ipv6_address_gives_an_aaaa_record_and_no_address_gives_none()
    {
        var user = owner.User;
        var v6 = await Domains.Create(user.Api, ipAddress: "2001:DB8::10");
        Assert.Equal("2001:db8::10", (await Domains.Records(user.Api, v6, "&type=AAAA")).Single().Str("data"));
        var bare = await Domains.Create(user.Api);
        Assert.Equal(["SOA", "NS"], (await Domains.Records(user.Api, bare)).Select(x => x.Str("type")));
    }

    [Theory]
    [InlineData("Example-UPPER.{u}.TEST.", "example-upper.{u}.test")]
    [InlineData("bücher.{u}.test", "xn--bcher-kva.{u}.test")]
    [InlineData("xn--bcher-kva.{u}.test", "xn--bcher-kva.{u}.test")]
    public async Task Names_are_lower_cased_without_the_trailing_dot_and_internationalized_ones_become_punycode(string given, string stored)
    {
        var user = owner.User;
        var unique = TestAccounts.UniqueName("n");
        var r = (await user.Api.Post("/domains", new { name = given.Replace("{u}", unique) })).Expect(201);
        Assert.Equal(stored.Replace("{u}", unique), r["domain"].Str("name"));
        // The path takes the name in any of these forms.
        (await user.Api.Get($"/domains/{Uri.EscapeDataString(given.Replace("{u}", unique))}")).Expect(200);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("bad_name.test")]
    [InlineData("-lead.test")]
    [InlineData("trail-.test")]
    [InlineData("a..test")]
    [InlineData(".test")]
    [InlineData("192.0.2.1")]
    [InlineData("with space.test")]
    [InlineData("xn--zz.test")]
    [InlineData("*.wild.test")]
    public async Task Invalid_names_are_422(string name)
    {
        var user = owner.User;
        var r = await user.Api.Post("/domains", new { name });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["name"], r.ErrorFields());
    }

    [Fact]
    public async Task Names_keep_the_dns_length_limits()
    {
        var user = owner.User;
        var label64 = new string('a', 64) + ".test";
        (await user.Api.Post("/domains", new { name = label64 })).ExpectError(422, "unprocessable_entity");
        var long254 = string.Join('.', Enumerable.Repeat(new string('b', 62), 4)) + ".test"; // four labels of 62 and .test: 256 characters
        (await user.Api.Post("/domains", new { name = long254 })).ExpectError(422, "unprocessable_entity");
        var exactly63 = TestAccounts.UniqueName("c") + new string('c', 50);
        (await user.Api.Post("/domains", new { name = exactly63[..63] + ".test" })).Expect(201);
    }

    [Fact]
    public async Task Bad_fields_are_422_naming_them()
    {
        var user = owner.User;
        var r = await user.Api.Post("/domains", new { name = Domains.UniqueName(), ip_address = "300.1.1.1", ttl = 29, zone_file = "x", color = "red" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["color", "zone_file"], r.ErrorFields().Order());
        r = await user.Api.Post("/domains", new { name = Domains.UniqueName(), ip_address = "300.1.1.1", ttl = 29 });
        Assert.Equal(["ip_address", "ttl"], r.ErrorFields().Order());
        (await user.Api.Post("/domains", new { ip_address = "192.0.2.1" })).ExpectError(422, "unprocessable_entity");
    }

    [Fact]
    public async Task A_name_another_account_holds_is_422_without_saying_whose()
    {
        var alice = owner.User;
        var bob = await TestAccounts.Create(Server);
        var name = await Domains.Create(alice.Api);

        var taken = await bob.Api.Post("/domains", new { name });
        taken.ExpectError(422, "unprocessable_entity");
        Assert.DoesNotContain(alice.Username, taken.Text);
        Assert.DoesNotContain(alice.Id, taken.Text);
        // Alice asking for her own name again gets the very same answer, so Bob learns nothing more than "in use".
        var again = await alice.Api.Post("/domains", new { name });
        Assert.Equal(taken.Message, again.Message);

        // Nor can Bob take a name inside Alice's zone (it would answer for her names), or one above it.
        (await bob.Api.Post("/domains", new { name = "www." + name })).ExpectError(422, "unprocessable_entity");
        var parent = TestAccounts.UniqueName("p") + ".test";
        await Domains.Create(alice.Api, "sub." + parent);
        (await bob.Api.Post("/domains", new { name = parent })).ExpectError(422, "unprocessable_entity");
        // Alice may split her own zone.
        await Domains.Create(alice.Api, "www." + name);
        Assert.Equal(404, (await bob.Api.Get($"/domains/{name}")).Status);
    }

    [Fact]
    public async Task List_shows_only_the_callers_domains_paged_in_creation_order()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = owner.User;
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
            names.Add(await Domains.Create(alice.Api));
        await Domains.Create(bob.Api);

        var r = (await alice.Api.Get("/domains?per_page=2")).Expect(200);
        Assert.Equal(3, r["meta"].GetProperty("total").GetInt32());
        Assert.Equal("3", r.Header("X-Total-Count"));
        Assert.Equal(names[..2], r["domains"].EnumerateArray().Select(d => d.Str("name")));
        var next = r["links"].GetProperty("pages").GetProperty("next").GetString()!;
        Assert.Equal([names[2]], (await alice.Api.Get(next)).Expect(200)["domains"].EnumerateArray().Select(d => d.Str("name")));
        Assert.Contains("\tIN\tSOA\t", r["domains"][0].Str("zone_file"));
        var head = (await alice.Api.Head("/domains?per_page=2")).Expect(200);
        Assert.Equal("3", head.Header("X-Total-Count"));
    }

    [Fact]
    public async Task Another_accounts_domain_is_404_everywhere()
    {
        var alice = owner.User;
        var bob = await TestAccounts.Create(Server);
        var name = await Domains.Create(alice.Api, ipAddress: "192.0.2.1");
        var record = (await Domains.Records(alice.Api, name, "&type=A")).Single().Str("id");

        (await bob.Api.Get($"/domains/{name}")).ExpectError(404, "not_found");
        (await bob.Api.Head($"/domains/{name}")).Expect(404);
        (await bob.Api.Delete($"/domains/{name}")).ExpectError(404, "not_found");
        (await bob.Api.Get($"/domains/{name}/records")).ExpectError(404, "not_found");
        (await bob.Api.Get($"/domains/{name}/records/{record}")).ExpectError(404, "not_found");
        (await bob.Api.Put($"/domains/{name}/records/{record}", new { type = "A", name = "@", data = "192.0.2.66" })).ExpectError(404, "not_found");
        (await bob.Api.Delete($"/domains/{name}/records/{record}")).ExpectError(404, "not_found");
        (await bob.Api.Post($"/domains/{name}/records", new { type = "A", name = "x", data = "192.0.2.66" })).ExpectError(404, "not_found");
        Assert.Empty((await bob.Api.Get("/domains")).Expect(200)["domains"].EnumerateArray());

        // Bob's own zone does not open Alice's record either.
        var bobs = await Domains.Create(bob.Api);
        (await bob.Api.Get($"/domains/{bobs}/records/{record}")).ExpectError(404, "not_found");
        Assert.Equal("192.0.2.1", (await alice.Api.Get($"/domains/{name}/records/{record}")).Expect(200)["domain_record"].Str("data"));
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_frees_the_name()
    {
        var alice = owner.User;
        var bob = await TestAccounts.Create(Server);
        var name = await Domains.Create(alice.Api);
        var r = (await alice.Api.Delete($"/domains/{name}")).Expect(204);
        Assert.Equal("", r.Text);
        (await alice.Api.Get($"/domains/{name}")).ExpectError(404, "not_found");
        (await alice.Api.Get($"/domains/{name}/records")).ExpectError(404, "not_found");
        (await alice.Api.Delete($"/domains/{name}")).ExpectError(404, "not_found");
        await Domains.Create(bob.Api, name);
    }

    [Fact]
    public async Task Get_and_delete_honour_etags()
    {
        var user = owner.User;
        var name = await Domains.Create(user.Api);
        var get = (await user.Api.Get($"/domains/{name}")).Expect(200);
        var etag = get.Header("ETag")!;
        (await user.Api.Get($"/domains/{name}", new Dictionary<string, string> { ["If-None-Match"] = etag })).Expect(304);
        await Domains.AddRecord(user.Api, name, new { type = "A", name = "www", data = "192.0.2.1" });
        (await user.Api.Delete($"/domains/{name}", new Dictionary<string, string> { ["If-Match"] = etag })).ExpectError(412, "precondition_failed");
        var fresh = (await user.Api.Get($"/domains/{name}")).Header("ETag")!;
        (await user.Api.Delete($"/domains/{name}", new Dictionary<string, string> { ["If-Match"] = fresh })).Expect(204);
    }

    [Fact]
    public async Task Head_answers_like_get_on_every_domain_route()
    {
        var user = owner.User;
        var name = await Domains.Create(user.Api, ipAddress: "192.0.2.1");
        var record = (await Domains.Records(user.Api, name)).First().Str("id");
        foreach (var path in new[] { "/domains", $"/domains/{name}", $"/domains/{name}/records", $"/domains/{name}/records?type=NS", $"/domains/{name}/records/{record}" })
        {
            var get = (await user.Api.Get(path)).Expect(200);
            var head = (await user.Api.Head(path)).Expect(200);
            Assert.Equal("", head.Text);
            Assert.Equal(get.Header("ETag"), head.Header("ETag"));
            Assert.Equal(get.Header("X-Total-Count"), head.Header("X-Total-Count"));
        }
    }

    [Fact]
    public async Task A_read_only_token_cannot_create_or_delete()
    {
        var user = owner.User;
        var name = await Domains.Create(user.Api);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var reader = ApiClient.Bearer(Server, secret);
        (await reader.Get($"/domains/{name}")).Expect(200);
        (await reader.Post("/domains", new { name = Domains.UniqueName() })).ExpectError(403, "forbidden");
        (await reader.Delete($"/domains/{name}")).ExpectError(403, "forbidden");
        (await reader.Post($"/domains/{name}/records", new { type = "A", name = "x", data = "192.0.2.1" })).ExpectError(403, "forbidden");
    }

    [Fact]
    public async Task Deleting_a_user_deletes_their_domains_and_frees_the_names()
    {
        var gone = await TestAccounts.Create(Server);
        var other = owner.User;
        var name = await Domains.Create(gone.Api);
        (await Server.Admin.Delete($"/users/{gone.Id}")).Expect(204);
        await Domains.Create(other.Api, name);
    }
}
