using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// Scopes: a read token reads but every write is the 403 with the contract's exact message and
/// changes nothing; admin routes need the admin scope, which only admins' credentials carry.
/// </summary>
public sealed class ScopeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    const string NoAccess = "You do not have access for the attempted action.";

    ServerProcess Server => shared.Server;

    [Fact]
    public async Task A_read_token_reads_and_every_write_is_403_with_the_exact_message()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, name: "scoped");
        var vmId = vm.Str("id");
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"], "other");
        var (_, readSecret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var reader = ApiClient.Bearer(Server, readSecret);

        (await reader.Get("/account")).Expect(200);
        (await reader.Get($"/vms/{vmId}")).Expect(200);
        (await reader.Get("/tokens")).Expect(200);

        var writes = new[]
        {
            await reader.Post("/tokens", new { name = "sneaky", scopes = new[] { "read", "write" } }),
            await reader.Put($"/tokens/{tokenId}", new { name = "renamed" }),
            await reader.Delete($"/tokens/{tokenId}"),
            await reader.Post("/vms", new { name = "sneaky", size = Vms.SmallSize, image = Vms.TinyImage }),
            await reader.Put($"/vms/{vmId}", new { name = "renamed" }),
            await reader.Post($"/vms/{vmId}/actions", new { type = "power_off" }),
            await reader.Post("/vms/actions?tag_name=any", new { type = "power_off" }),
            await reader.Delete($"/vms/{vmId}"),
            await reader.Delete("/vms?tag_name=any"),
        };
        foreach (var r in writes)
        {
            r.ExpectError(403, "forbidden");
            Assert.Equal(NoAccess, r.Message);
        }

        var after = await Vms.Get(user.Api, vmId);
        Assert.Equal("scoped", after.Str("name"));
        Assert.Equal("active", after.Status());
        Assert.Equal("other", (await user.Api.Get($"/tokens/{tokenId}")).Expect(200)["token"].Str("name"));
        Assert.Equal(1, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
        Assert.Equal(2, (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_read_token_is_refused_even_when_it_sends_bad_input()
    {
        var user = await TestAccounts.Create(Server);
        var (_, readSecret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var r = await ApiClient.Bearer(Server, readSecret).Post("/tokens", new { bogus = true });
        r.ExpectError(403, "forbidden");
        Assert.Equal(NoAccess, r.Message);
    }

    [Fact]
    public async Task A_read_write_token_writes()
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        (await ApiClient.Bearer(Server, secret).Post("/tokens", new { name = "child", scopes = new[] { "read" } })).Expect(201);
    }

    [Fact]
    public async Task Non_admins_are_forbidden_on_every_users_route()
    {
        var user = await TestAccounts.Create(Server);
        var other = await TestAccounts.Create(Server);
        var answers = new[]
        {
            await user.Api.Get("/users"),
            await user.Api.Get($"/users/{other.Id}"),
            await user.Api.Get($"/users/{user.Id}"),
            await user.Api.Post("/users", new { username = TestAccounts.UniqueName(), password = "long-enough-pw", email = "a@b.c" }),
            await user.Api.Delete($"/users/{other.Id}"),
        };
        foreach (var r in answers)
            r.ExpectError(403, "forbidden");
        (await other.Api.Get("/account")).Expect(200);
    }

    [Fact]
    public async Task An_admins_token_without_the_admin_scope_cannot_manage_users()
    {
        var (_, secret) = await TestAccounts.CreateToken(Server.Admin, ["read", "write"]);
        (await ApiClient.Bearer(Server, secret).Get("/users")).ExpectError(403, "forbidden");
    }

    [Fact]
    public async Task An_admins_password_and_admin_token_manage_users()
    {
        (await Server.Admin.Get("/users")).Expect(200);
        var (_, secret) = await TestAccounts.CreateToken(Server.Admin, ["read", "admin"]);
        (await ApiClient.Bearer(Server, secret).Get("/users")).Expect(200);
    }

    [Fact]
    public async Task An_admin_user_created_by_the_operator_can_manage_users()
    {
        var second = await TestAccounts.Create(Server, admin: true);
        Assert.True(second.Created.GetProperty("admin").GetBoolean());
        (await second.Api.Get("/users")).Expect(200);
    }
}
