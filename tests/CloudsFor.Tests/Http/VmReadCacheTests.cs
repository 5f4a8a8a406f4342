using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// GET of a VM and of a page of VMs answer from what the server keeps while the store's commit stamp says nothing was
/// committed since it was read (Api.VmDocuments, Api.VmPages): a change made to the store by someone else still shows
/// on the very next GET, and what was read for one account is never shown to another.
/// </summary>
public sealed class VmReadCacheTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_VM_changed_in_the_store_behind_the_servers_back_shows_changed_on_the_next_GET()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        // The second GET is answered from the kept rendering, checked by the first.
        var before = (await user.Api.Get($"/vms/{id}")).Expect(200).Header("ETag");
        Assert.Equal(before, (await user.Api.Get($"/vms/{id}")).Expect(200).Header("ETag"));

        Assert.Equal(1, StoreSql.Execute(Server, "UPDATE vms SET name = 'changed-behind' WHERE id = @id", ("id", id)));

        var after = (await user.Api.Get($"/vms/{id}")).Expect(200);
        Assert.Equal("changed-behind", after["vm"].Str("name"));
        Assert.NotEqual(before, after.Header("ETag"));
    }

    [Fact]
    public async Task A_VM_its_owner_was_just_shown_is_still_not_found_for_another_account()
    {
        var owner = await TestAccounts.Create(Server);
        var other = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(owner.Api)).Str("id");
        (await owner.Api.Get($"/vms/{id}")).Expect(200);
        (await owner.Api.Get($"/vms/{id}")).Expect(200);

        (await other.Api.Get($"/vms/{id}")).Expect(404);
        Assert.Equal(id, (await Vms.Get(owner.Api, id)).Str("id"));
    }

    [Fact]
    public async Task A_page_of_VMs_changed_in_the_store_behind_the_servers_back_shows_changed_on_the_next_GET()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var other = (await Vms.CreateActive(user.Api)).Str("id");
        const string path = "/vms?per_page=5";
        Assert.Equal(2, (await user.Api.Get(path)).Expect(200)["meta"].GetProperty("total").GetInt32());
        (await user.Api.Get(path)).Expect(200);

        Assert.Equal(1, StoreSql.Execute(Server, "UPDATE vms SET name = 'page-changed-behind' WHERE id = @id", ("id", id)));

        var page = (await user.Api.Get(path)).Expect(200);
        var names = page["vms"].EnumerateArray().ToDictionary(vm => vm.Str("id"), vm => vm.Str("name"));
        Assert.Equal("page-changed-behind", names[id]);
        Assert.True(names.ContainsKey(other));
    }

    [Fact]
    public async Task The_same_page_asked_by_another_account_lists_only_that_accounts_VMs()
    {
        var owner = await TestAccounts.Create(Server);
        var stranger = await TestAccounts.Create(Server);
        await Vms.CreateActive(owner.Api);
        const string path = "/vms?per_page=7";
        (await owner.Api.Get(path)).Expect(200);
        Assert.Equal(1, (await owner.Api.Get(path)).Expect(200)["meta"].GetProperty("total").GetInt32());

        var page = (await stranger.Api.Get(path)).Expect(200);
        Assert.Equal(0, page["meta"].GetProperty("total").GetInt32());
        Assert.Empty(page["vms"].EnumerateArray());
    }
}
