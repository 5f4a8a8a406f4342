using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>GET /account: who the caller is, its limit, and what its VMs use.</summary>
public sealed class AccountTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_fresh_account_uses_nothing()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Get("/account")).Expect(200);
        Assert.NotNull(r.Header("ETag"));
        var account = r["account"];
        Assert.Equal(user.Id, account.Str("uuid"));
        Formats.AssertId(account.GetProperty("uuid"));
        Assert.Equal(user.Username, account.Str("username"));
        Assert.Equal(user.Email, account.Str("email"));
        Assert.Equal("active", account.Str("status"));
        Assert.True(account.GetProperty("vm_limit").GetInt32() > 0);
        var usage = account.GetProperty("usage");
        foreach (var field in new[] { "vms", "vcpus", "memory", "disk" })
            Assert.Equal(0, usage.GetProperty(field).GetInt32());
    }

    [Fact]
    public async Task Usage_counts_the_accounts_vms_by_size_and_drops_deleted_ones()
    {
        var user = await TestAccounts.Create(Server);
        var small = await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb");
        await Vms.CreateActive(user.Api, size: "s-2vcpu-4gb");
        var usage = (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("vms").GetInt32());
        Assert.Equal(3, usage.GetProperty("vcpus").GetInt32());
        Assert.Equal(1024 + 4096, usage.GetProperty("memory").GetInt32());
        Assert.Equal(25 + 80, usage.GetProperty("disk").GetInt32());

        (await user.Api.Delete($"/vms/{small.Str("id")}")).Expect(204);
        var after = (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("usage");
        Assert.Equal(1, after.GetProperty("vms").GetInt32());
        Assert.Equal(4096, after.GetProperty("memory").GetInt32());
    }
}
