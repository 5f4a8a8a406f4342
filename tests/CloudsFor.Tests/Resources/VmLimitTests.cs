using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>The account's vm_limit: creates past it are a 422 that creates nothing; deleting makes room again.</summary>
public sealed class VmLimitTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Creating_past_the_vm_limit_is_422_and_creates_nothing()
    {
        var user = await TestAccounts.Create(Server, vmLimit: 2);
        var first = await Vms.CreateActive(user.Api);
        await Vms.Create(user.Api);

        var third = await user.Api.Post("/vms", new { name = "third", size = Vms.SmallSize, image = Vms.TinyImage });
        third.ExpectError(422, "unprocessable_entity");
        Assert.NotEmpty(third.ErrorFields());
        Assert.Contains("limit", third.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, await VmCount(user));

        var account = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal(2, account.GetProperty("vm_limit").GetInt32());
        Assert.Equal(2, account.GetProperty("usage").GetProperty("vms").GetInt32());

        (await user.Api.Delete($"/vms/{first.Str("id")}")).Expect(204);
        await Vms.Create(user.Api, name: "third");
        Assert.Equal(2, await VmCount(user));
    }

    [Fact]
    public async Task A_batch_that_would_pass_the_limit_creates_none_of_its_vms()
    {
        var user = await TestAccounts.Create(Server, vmLimit: 2);
        var r = await user.Api.Post("/vms", new { names = new[] { "a", "b", "c" }, size = Vms.SmallSize, image = Vms.TinyImage });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(0, await VmCount(user));
        (await user.Api.Post("/vms", new { names = new[] { "a", "b" }, size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
    }

    [Fact]
    public async Task Concurrent_creates_never_pass_the_limit()
    {
        var user = await TestAccounts.Create(Server, vmLimit: 3);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            user.Api.Post("/vms", new { name = $"race-{i}", size = Vms.SmallSize, image = Vms.TinyImage })));
        Assert.Equal(3, answers.Count(a => a.Status == 202));
        Assert.All(answers.Where(a => a.Status != 202), a => a.ExpectError(422, "unprocessable_entity"));
        Assert.Equal(3, await VmCount(user));
    }

    [Fact]
    public async Task A_limit_of_zero_allows_no_vm()
    {
        var user = await TestAccounts.Create(Server, vmLimit: 0);
        (await user.Api.Post("/vms", new { name = "none", size = Vms.SmallSize, image = Vms.TinyImage })).ExpectError(422, "unprocessable_entity");
    }

    static async Task<int> VmCount(TestUser user) =>
        (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32();
}
