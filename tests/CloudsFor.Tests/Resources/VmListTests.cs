using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>GET /vms and its filters: tag_name, name, status, region; paging links keep the filters.</summary>
public sealed class VmListTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Filters_select_by_tag_name_status_and_region()
    {
        var user = await TestAccounts.Create(Server);
        var taggedFra = await Vms.CreateActive(user.Api, name: "tagged-fra", tags: ["blue"]);
        var taggedNyc = await Vms.CreateActive(user.Api, name: "tagged-nyc", region: "nyc1", tags: ["blue", "green"]);
        var plain = await Vms.CreateActive(user.Api, name: "plain");
        await Vms.RunCompleted(user.Api, plain.Str("id"), new { type = "power_off" });

        Assert.Equal([taggedFra.Str("id"), taggedNyc.Str("id")], await Listed(user, "/vms?tag_name=blue"));
        Assert.Equal([taggedNyc.Str("id")], await Listed(user, "/vms?tag_name=green"));
        Assert.Equal([taggedNyc.Str("id")], await Listed(user, "/vms?tag_name=blue&region=nyc1"));
        Assert.Equal([taggedFra.Str("id"), plain.Str("id")], await Listed(user, "/vms?region=fra1"));
        Assert.Equal([plain.Str("id")], await Listed(user, "/vms?name=plain"));
        Assert.Equal([plain.Str("id")], await Listed(user, "/vms?status=off"));
        Assert.Equal([taggedFra.Str("id"), taggedNyc.Str("id")], await Listed(user, "/vms?status=active"));
        Assert.Empty(await Listed(user, "/vms?status=new"));
        Assert.Empty(await Listed(user, "/vms?tag_name=red"));
        Assert.Empty(await Listed(user, "/vms?name=tagged"));
        Assert.Equal(3, (await Listed(user, "/vms")).Count);
    }

    [Fact]
    public async Task The_filtered_total_is_the_filtered_count_and_links_keep_the_filter()
    {
        var user = await TestAccounts.Create(Server);
        var a = await Vms.CreateActive(user.Api, tags: ["paged"]);
        var b = await Vms.CreateActive(user.Api, tags: ["paged"]);
        await Vms.CreateActive(user.Api);

        var first = (await user.Api.Get("/vms?tag_name=paged&per_page=1")).Expect(200);
        Assert.Equal(2, first["meta"].GetProperty("total").GetInt32());
        Assert.Equal("2", first.Header("X-Total-Count"));
        Assert.Equal([a.Str("id")], first["vms"].Ids());
        var next = first["links"].GetProperty("pages").Str("next");
        Links.AssertPage(Server, next, "/vms", page: 2, perPage: 1, new Dictionary<string, string> { ["tag_name"] = "paged" });
        var second = (await user.Api.Get(next)).Expect(200);
        Assert.Equal([b.Str("id")], second["vms"].Ids());
    }

    [Fact]
    public async Task A_vm_in_the_list_reads_like_the_vm_alone()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, tags: ["x"]);
        var listed = (await user.Api.Get("/vms")).Expect(200)["vms"][0];
        Assert.Equal(vm.GetRawText(), listed.GetRawText());
    }

    static async Task<List<string>> Listed(TestUser user, string path) =>
        (await user.Api.Get(path)).Expect(200)["vms"].Ids().ToList();
}
