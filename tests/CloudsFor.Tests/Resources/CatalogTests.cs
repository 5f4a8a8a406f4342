using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>Regions, sizes and distribution images: the operator's catalog every account reads.</summary>
public sealed class CatalogTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    public static readonly TheoryData<string, int, int, int> DefaultSizes = new()
    {
        { "s-1vcpu-512mb", 512, 1, 10 },
        { "s-1vcpu-1gb", 1024, 1, 25 },
        { "s-2vcpu-2gb", 2048, 2, 50 },
        { "s-2vcpu-4gb", 4096, 2, 80 },
        { "s-4vcpu-8gb", 8192, 4, 160 },
    };

    [Fact]
    public async Task Regions_list_fra1_and_nyc1_with_their_sizes_and_capacity()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Get("/regions")).Expect(200);
        var regions = r["regions"].EnumerateArray().ToDictionary(x => x.Str("slug"));
        Assert.Contains("fra1", regions.Keys);
        Assert.Contains("nyc1", regions.Keys);
        Assert.Equal(regions.Count, r["meta"].GetProperty("total").GetInt32());
        foreach (var region in regions.Values)
        {
            Assert.False(string.IsNullOrEmpty(region.Str("name")));
            Assert.True(region.GetProperty("available").GetBoolean());
            Assert.Contains("s-1vcpu-512mb", region.GetProperty("sizes").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(JsonValueKind.Array, region.GetProperty("features").ValueKind);
            var capacity = region.GetProperty("capacity");
            foreach (var field in new[] { "vcpus", "memory", "disk" })
                Assert.True(capacity.GetProperty(field).GetInt64() > 0, $"{region.Str("slug")} capacity.{field}");
        }
    }

    [Fact]
    public async Task One_region_by_slug_and_404_for_an_unknown_one()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Get("/regions/nyc1")).Expect(200);
        Assert.Equal("nyc1", r["region"].Str("slug"));
        Assert.NotNull(r.Header("ETag"));
        (await user.Api.Get("/regions/mars1")).ExpectError(404, "not_found");
    }

    [Theory]
    [MemberData(nameof(DefaultSizes))]
    public async Task Default_sizes_have_their_published_shape(string slug, int memory, int vcpus, int disk)
    {
        var user = await TestAccounts.Create(Server);
        var size = (await user.Api.Get($"/sizes/{slug}")).Expect(200)["size"];
        Assert.Equal(slug, size.Str("slug"));
        Assert.Equal(memory, size.GetProperty("memory").GetInt32());
        Assert.Equal(vcpus, size.GetProperty("vcpus").GetInt32());
        Assert.Equal(disk, size.GetProperty("disk").GetInt32());
        Assert.True(size.GetProperty("price_monthly").GetDecimal() > 0);
        Assert.True(size.GetProperty("price_hourly").GetDecimal() > 0);
        Assert.True(size.GetProperty("price_hourly").GetDecimal() < size.GetProperty("price_monthly").GetDecimal());
        Assert.Contains("fra1", size.GetProperty("regions").EnumerateArray().Select(x => x.GetString()));
        Assert.True(size.GetProperty("available").GetBoolean());
        Assert.Equal(JsonValueKind.String, size.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task Sizes_list_all_five_and_page()
    {
        var user = await TestAccounts.Create(Server);
        var all = (await user.Api.Get("/sizes")).Expect(200);
        Assert.Equal(DefaultSizes.Select(row => (string)row[0]).Order(), all["sizes"].EnumerateArray().Select(s => s.Str("slug")).Order());
        var page = (await user.Api.Get("/sizes?per_page=2&page=3")).Expect(200);
        Assert.Equal(1, page["sizes"].GetArrayLength());
        Assert.Equal(5, page["meta"].GetProperty("total").GetInt32());
        (await user.Api.Get("/sizes/s-64vcpu-1tb")).ExpectError(404, "not_found");
    }

    [Theory]
    [InlineData("tiny", 1)]
    [InlineData("debian-12", 5)]
    [InlineData("ubuntu-24-04", 10)]
    public async Task Distribution_images_by_slug_and_by_id_are_the_same(string slug, int minDisk)
    {
        var user = await TestAccounts.Create(Server);
        var bySlug = (await user.Api.Get($"/images/{slug}")).Expect(200)["image"];
        Formats.AssertId(bySlug.GetProperty("id"));
        Assert.Equal(slug, bySlug.Str("slug"));
        Assert.Equal("distribution", bySlug.Str("type"));
        Assert.True(bySlug.GetProperty("public").GetBoolean());
        Assert.Equal(minDisk, bySlug.GetProperty("min_disk_size").GetInt32());
        Assert.Equal(JsonValueKind.Array, bySlug.GetProperty("regions").ValueKind);
        foreach (var field in new[] { "name", "distribution", "description", "status" })
            Assert.Equal(JsonValueKind.String, bySlug.GetProperty(field).ValueKind);
        var byId = (await user.Api.Get($"/images/{bySlug.Str("id")}")).Expect(200)["image"];
        Assert.Equal(bySlug.GetRawText(), byId.GetRawText());
    }

    [Fact]
    public async Task Images_filter_by_type_and_private()
    {
        var user = await TestAccounts.Create(Server);
        var all = (await user.Api.Get("/images?per_page=200")).Expect(200)["images"];
        Assert.Superset(new HashSet<string> { "tiny", "debian-12", "ubuntu-24-04" },
            all.EnumerateArray().Where(i => i.Str("type") == "distribution").Select(i => i.Str("slug")).ToHashSet());
        var distributions = (await user.Api.Get("/images?type=distribution&per_page=200")).Expect(200)["images"];
        Assert.All(distributions.EnumerateArray(), i => Assert.Equal("distribution", i.Str("type")));
        Assert.Equal(0, (await user.Api.Get("/images?type=snapshot")).Expect(200)["meta"].GetProperty("total").GetInt32());
        Assert.Equal(0, (await user.Api.Get("/images?private=true")).Expect(200)["meta"].GetProperty("total").GetInt32());
        (await user.Api.Get("/images/no-such-image")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Distribution_images_cannot_be_changed_or_deleted_by_users()
    {
        var user = await TestAccounts.Create(Server);
        var tiny = (await user.Api.Get("/images/tiny")).Expect(200)["image"];
        (await user.Api.Put($"/images/{tiny.Str("id")}", new { name = "mine now" })).ExpectError(403, "forbidden");
        (await user.Api.Delete($"/images/{tiny.Str("id")}")).ExpectError(403, "forbidden");
        var after = (await user.Api.Get("/images/tiny")).Expect(200)["image"];
        Assert.Equal(tiny.Str("name"), after.Str("name"));
    }
}
