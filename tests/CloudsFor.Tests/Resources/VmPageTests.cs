using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// The server remembers where pages of an account's VMs start, so a deep page read again is not found by skipping
/// every VM before it. Each page must still be exactly its slice of the whole list after VMs are created and deleted.
/// </summary>
public sealed class VmPageTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;
    const int PerPage = 4;

    static async Task<IReadOnlyList<string>> Page(TestUser user, int page) =>
        (await user.Api.Get($"/vms?per_page={PerPage}&page={page}")).Expect(200)["vms"].Ids();

    static async Task AssertEveryPageIsItsSlice(TestUser user)
    {
        var all = (await user.Api.Get("/vms?per_page=200")).Expect(200)["vms"].Ids();
        // Backwards first: each page is read before the page ahead of it, so only what was remembered before the
        // change can say where it starts. Then forwards, twice: as the pages come, and from what that remembered.
        for (var page = all.Count / PerPage + 1; page >= 1; page--)
            Assert.Equal(all.Skip((page - 1) * PerPage).Take(PerPage), await Page(user, page));
        for (var pass = 0; pass < 2; pass++)
            for (var page = 1; page <= all.Count / PerPage + 1; page++)
                Assert.Equal(all.Skip((page - 1) * PerPage).Take(PerPage), await Page(user, page));
    }

    [Fact]
    public async Task Pages_stay_the_slices_of_the_list_as_vms_come_and_go()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/vms", new { names = Enumerable.Range(1, 10).Select(i => $"page-{i}").ToArray(), size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
        (await user.Api.Post("/vms", new { names = Enumerable.Range(11, 3).Select(i => $"page-{i}").ToArray(), size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
        await AssertEveryPageIsItsSlice(user);

        // A VM from the first page leaves: every later page moves up by one.
        var first = (await Page(user, 1))[1];
        (await user.Api.Delete($"/vms/{first}")).Expect(204);
        Assert.DoesNotContain(first, (await user.Api.Get("/vms?per_page=200")).Expect(200)["vms"].Ids());
        await AssertEveryPageIsItsSlice(user);

        // A new VM joins at the end.
        var created = await Vms.Create(user.Api, name: "page-new");
        Assert.Equal(created.Id, (await user.Api.Get("/vms?per_page=200")).Expect(200)["vms"].Ids()[^1]);
        await AssertEveryPageIsItsSlice(user);
    }

    [Fact]
    public async Task A_filtered_list_pages_by_its_own_members()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/vms", new { names = Enumerable.Range(1, 9).Select(i => $"tagged-{i}").ToArray(), size = Vms.SmallSize, image = Vms.TinyImage, tags = new[] { "paged" } })).Expect(202);
        var all = (await user.Api.Get("/vms?tag_name=paged&per_page=200")).Expect(200)["vms"].Ids();
        await Page(user, 2);
        (await user.Api.Put($"/vms/{all[0]}", new { tags = Array.Empty<string>() })).Expect(200);
        var page2 = (await user.Api.Get($"/vms?tag_name=paged&per_page={PerPage}&page=2")).Expect(200)["vms"].Ids();
        Assert.Equal(all.Skip(1 + PerPage).Take(PerPage), page2);
    }
}
