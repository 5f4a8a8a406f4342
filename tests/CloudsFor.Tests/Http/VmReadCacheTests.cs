using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// GET of a VM answers from the renderings the server keeps while the store's commit stamp says nothing was committed
/// since the rendering was checked (Api.VmDocuments): a change made to the store by someone else still shows on the
/// very next GET, and a rendering checked for one account is never shown to another.
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
}
