using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>ETags on single objects: If-None-Match gives 304 on reads, a stale If-Match gives 412 on writes and changes nothing.</summary>
public sealed class ConditionalRequestTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static Dictionary<string, string> Header(string name, string value) => new() { [name] = value };

    [Fact]
    public async Task Single_objects_have_an_ETag_and_If_None_Match_gives_304_without_a_body()
    {
        var user = await TestAccounts.Create(Server);
        var get = (await user.Api.Get("/account")).Expect(200);
        var etag = get.Header("ETag");
        Assert.False(string.IsNullOrEmpty(etag));

        var notModified = (await user.Api.Get("/account", Header("If-None-Match", etag))).Expect(304);
        Assert.Equal("", notModified.Text);
        Assert.Equal(etag, notModified.Header("ETag"));
        (await user.Api.Head("/account", Header("If-None-Match", etag))).Expect(304);
        (await user.Api.Get("/account", Header("If-None-Match", "\"something-else\""))).Expect(200);
        (await user.Api.Get("/account", Header("If-None-Match", $"\"other\", {etag}"))).Expect(304);
    }

    [Fact]
    public async Task The_ETag_is_stable_while_nothing_changes_and_changes_with_the_object()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"], "before");
        var first = (await user.Api.Get($"/tokens/{tokenId}")).Expect(200).Header("ETag");
        Assert.Equal(first, (await user.Api.Get($"/tokens/{tokenId}")).Expect(200).Header("ETag"));
        (await user.Api.Put($"/tokens/{tokenId}", new { name = "after" })).Expect(200);
        var second = (await user.Api.Get($"/tokens/{tokenId}")).Expect(200).Header("ETag");
        Assert.NotEqual(first, second);
        (await user.Api.Get($"/tokens/{tokenId}", Header("If-None-Match", first!))).Expect(200);
    }

    [Fact]
    public async Task Put_with_a_stale_If_Match_is_412_and_changes_nothing_while_the_current_one_succeeds()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"], "original");
        var etag = (await user.Api.Get($"/tokens/{tokenId}")).Expect(200).Header("ETag")!;

        (await user.Api.Put($"/tokens/{tokenId}", new { name = "stale-write" }, Header("If-Match", "\"0123\"")))
            .ExpectError(412, "precondition_failed");
        Assert.Equal("original", (await user.Api.Get($"/tokens/{tokenId}")).Expect(200)["token"].Str("name"));

        var put = (await user.Api.Put($"/tokens/{tokenId}", new { name = "fresh-write" }, Header("If-Match", etag))).Expect(200);
        Assert.Equal("fresh-write", put["token"].Str("name"));
        // The validator of the first write is stale now.
        (await user.Api.Put($"/tokens/{tokenId}", new { name = "late-write" }, Header("If-Match", etag))).ExpectError(412, "precondition_failed");
    }

    [Fact]
    public async Task Delete_with_a_stale_If_Match_is_412_and_the_object_survives()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var etag = (await user.Api.Get($"/tokens/{tokenId}")).Expect(200).Header("ETag")!;
        (await user.Api.Delete($"/tokens/{tokenId}", Header("If-Match", "\"stale\""))).ExpectError(412, "precondition_failed");
        (await user.Api.Get($"/tokens/{tokenId}")).Expect(200);
        (await user.Api.Delete($"/tokens/{tokenId}", Header("If-Match", etag))).Expect(204);
        (await user.Api.Get($"/tokens/{tokenId}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Vm_put_and_delete_honour_If_Match()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, name: "etag-vm");
        var id = vm.Str("id");
        var etag = (await user.Api.Get($"/vms/{id}")).Expect(200).Header("ETag")!;
        (await user.Api.Put($"/vms/{id}", new { name = "changed" }, Header("If-Match", "\"stale\""))).ExpectError(412, "precondition_failed");
        (await user.Api.Delete($"/vms/{id}", Header("If-Match", "\"stale\""))).ExpectError(412, "precondition_failed");
        Assert.Equal("etag-vm", (await Vms.Get(user.Api, id)).Str("name"));
        (await user.Api.Put($"/vms/{id}", new { name = "changed" }, Header("If-Match", etag))).Expect(200);
        Assert.Equal("changed", (await Vms.Get(user.Api, id)).Str("name"));
    }
}
