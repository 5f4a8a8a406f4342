using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>Alice's VM, snapshot, token and actions, as everything Bob can try on them.</summary>
public sealed class AliceObjects : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public TestUser Alice { get; private set; } = null!;
    public TestUser Bob { get; private set; } = null!;
    public string VmId { get; private set; } = "";
    public string VmName { get; private set; } = "";
    public string ActionId { get; private set; } = "";
    public string SnapshotId { get; private set; } = "";
    public string TokenId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await SharedServer.Get();
        Alice = await TestAccounts.Create(Server);
        Bob = await TestAccounts.Create(Server);
        VmName = Vms.UniqueName("alice");
        var vm = await Vms.CreateActive(Alice.Api, name: VmName, tags: ["alice-tag"]);
        VmId = vm.Str("id");
        var snapshot = await Vms.RunAction(Alice.Api, VmId, new { type = "snapshot", name = "alice-snap" });
        ActionId = snapshot.Str("id");
        SnapshotId = (await Alice.Api.Get($"/vms/{VmId}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        (TokenId, _) = await TestAccounts.CreateToken(Alice.Api, ["read"], "alice-token");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Another account's object is a 404 (the same 404 as an id that does not exist, so nothing can be
/// probed), never a 403, never listed, and never changed.
/// </summary>
public sealed class TenancyTests(AliceObjects data) : IClassFixture<AliceObjects>
{
    ApiClient Bob => data.Bob.Api;

    [Fact]
    public async Task Alices_vm_is_404_for_every_method()
    {
        var answers = new[]
        {
            await Bob.Get($"/vms/{data.VmId}"),
            await Bob.Head($"/vms/{data.VmId}"),
            await Bob.Put($"/vms/{data.VmId}", new { name = "stolen" }),
            await Bob.Delete($"/vms/{data.VmId}"),
            await Bob.Post($"/vms/{data.VmId}/actions", new { type = "power_off" }),
            await Bob.Post($"/vms/{data.VmId}/actions", new { type = "rename", name = "stolen" }),
            await Bob.Get($"/vms/{data.VmId}/actions"),
            await Bob.Get($"/vms/{data.VmId}/actions/{data.ActionId}"),
            await Bob.Get($"/vms/{data.VmId}/snapshots"),
        };
        foreach (var r in answers)
            Assert.True(r.Status == 404, $"expected 404, got {r}");
        await AssertAliceUntouched();
    }

    [Fact]
    public async Task The_404_for_alices_vm_is_the_same_as_for_a_vm_that_never_existed()
    {
        var hers = (await Bob.Get($"/vms/{data.VmId}")).ExpectError(404, "not_found");
        var nobodys = (await Bob.Get($"/vms/{Formats.RandomId()}")).ExpectError(404, "not_found");
        Assert.Equal(nobodys.Message, hers.Message);
    }

    [Fact]
    public async Task Alices_vm_is_never_listed_for_bob_whatever_the_filter()
    {
        foreach (var path in new[] { "/vms", $"/vms?name={data.VmName}", "/vms?tag_name=alice-tag", "/vms?status=active", "/vms?region=fra1" })
        {
            var r = (await Bob.Get(path)).Expect(200);
            Assert.DoesNotContain(data.VmId, r["vms"].Ids());
            Assert.Equal(0, r["meta"].GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task Alices_actions_are_404_and_never_listed()
    {
        (await Bob.Get($"/actions/{data.ActionId}")).ExpectError(404, "not_found");
        var listed = (await Bob.Get("/actions?per_page=200")).Expect(200);
        Assert.DoesNotContain(data.ActionId, listed["actions"].Ids());
        Assert.DoesNotContain(data.VmId, listed.Text);
    }

    [Fact]
    public async Task Alices_token_is_404_and_never_listed()
    {
        (await Bob.Get($"/tokens/{data.TokenId}")).ExpectError(404, "not_found");
        (await Bob.Put($"/tokens/{data.TokenId}", new { name = "stolen" })).ExpectError(404, "not_found");
        (await Bob.Delete($"/tokens/{data.TokenId}")).ExpectError(404, "not_found");
        Assert.DoesNotContain(data.TokenId, (await Bob.Get("/tokens?per_page=200")).Expect(200)["tokens"].Ids());
        Assert.Equal("alice-token", (await data.Alice.Api.Get($"/tokens/{data.TokenId}")).Expect(200)["token"].Str("name"));
    }

    [Fact]
    public async Task Alices_snapshot_is_404_never_listed_and_cannot_boot_bobs_vm()
    {
        (await Bob.Get($"/images/{data.SnapshotId}")).ExpectError(404, "not_found");
        (await Bob.Put($"/images/{data.SnapshotId}", new { name = "stolen" })).ExpectError(404, "not_found");
        (await Bob.Delete($"/images/{data.SnapshotId}")).ExpectError(404, "not_found");
        foreach (var path in new[] { "/images?per_page=200", "/images?type=snapshot", "/images?private=true" })
            Assert.DoesNotContain(data.SnapshotId, (await Bob.Get(path)).Expect(200)["images"].Ids());
        var boot = await Bob.Post("/vms", new { name = "thief", size = "s-1vcpu-1gb", image = data.SnapshotId });
        boot.ExpectError(422, "unprocessable_entity");
        Assert.Contains("image", boot.ErrorFields());
        Assert.Equal("alice-snap", (await data.Alice.Api.Get($"/images/{data.SnapshotId}")).Expect(200)["image"].Str("name"));
    }

    [Fact]
    public async Task Bobs_tag_operations_never_reach_alices_vms()
    {
        (await Bob.Delete("/vms?tag_name=alice-tag")).Expect(204);
        var r = (await Bob.Post("/vms/actions?tag_name=alice-tag", new { type = "power_off" })).Expect(201);
        Assert.Empty(r["actions"].EnumerateArray());
        await AssertAliceUntouched();
    }

    [Fact]
    public async Task Even_the_admin_sees_another_accounts_vm_as_404()
    {
        (await data.Server.Admin.Get($"/vms/{data.VmId}")).ExpectError(404, "not_found");
        Assert.DoesNotContain(data.VmId, (await data.Server.Admin.Get("/vms?per_page=200")).Expect(200)["vms"].Ids());
    }

    [Fact]
    public async Task Bobs_token_sees_only_bob()
    {
        var (_, secret) = await TestAccounts.CreateToken(Bob, ["read", "write"]);
        var token = ApiClient.Bearer(data.Server, secret);
        (await token.Get($"/vms/{data.VmId}")).ExpectError(404, "not_found");
        Assert.Equal(data.Bob.Username, (await token.Get("/account")).Expect(200)["account"].Str("username"));
    }

    async Task AssertAliceUntouched()
    {
        var vm = await Vms.Get(data.Alice.Api, data.VmId);
        Assert.Equal(data.VmName, vm.Str("name"));
        Assert.Equal("active", vm.Status());
        Assert.Equal(["alice-tag"], vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["create", "snapshot"],
            (await data.Alice.Api.Get($"/vms/{data.VmId}/actions")).Expect(200)["actions"].EnumerateArray().Select(a => a.Str("type")));
    }
}
