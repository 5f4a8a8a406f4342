using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>PUT /users/{id}: an operator changes a user's limits, email and admin flag; a limit may go below what the user has.</summary>
public sealed class UserUpdateTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task An_operator_changes_the_limits_and_email_and_the_account_shows_them()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await Server.Admin.Put($"/users/{user.Id}", new { vm_limit = 4, volume_limit = 3, volume_gigabytes_limit = 50, email = "moved@example.test" })).Expect(200);
        var shown = r["user"];
        Assert.Equal((4, 3, 50L, "moved@example.test", false), (shown.GetProperty("vm_limit").GetInt32(), shown.GetProperty("volume_limit").GetInt32(),
            shown.GetProperty("volume_gigabytes_limit").GetInt64(), shown.Str("email"), shown.GetProperty("admin").GetBoolean()));
        Assert.Equal(shown.GetRawText(), (await Server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"].GetRawText());
        var account = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal((4, 3, 50L, "moved@example.test"), (account.GetProperty("vm_limit").GetInt32(), account.GetProperty("volume_limit").GetInt32(),
            account.GetProperty("volume_gigabytes_limit").GetInt64(), account.Str("email")));

        // Only what is given changes.
        shown = (await Server.Admin.Put($"/users/{user.Id}", new { volume_limit = 9 })).Expect(200)["user"];
        Assert.Equal((4, 9, "moved@example.test"), (shown.GetProperty("vm_limit").GetInt32(), shown.GetProperty("volume_limit").GetInt32(), shown.Str("email")));
    }

    [Fact]
    public async Task A_limit_below_the_present_usage_keeps_what_exists_and_refuses_new_creates()
    {
        var user = await TestAccounts.Create(Server);
        var first = await Vms.Create(user.Api);
        await Vms.Create(user.Api);
        await VolumeKit.Create(user.Api, size: 20);
        (await Server.Admin.Put($"/users/{user.Id}", new { vm_limit = 1, volume_gigabytes_limit = 10 })).Expect(200);

        Assert.Equal(2, (await user.Api.Get("/vms")).Expect(200)["vms"].Ids().Count);
        (await user.Api.Get($"/vms/{first.Id}")).Expect(200);
        var vm = await user.Api.Post("/vms", new { name = Vms.UniqueName(), size = Vms.SmallSize, image = Vms.TinyImage });
        vm.ExpectError(422, "unprocessable_entity");
        Assert.Contains("limit of 1 VMs (2 in use)", vm.Text);
        var volume = await user.Api.Post("/volumes", new { name = VolumeKit.UniqueName(), size_gigabytes = 1, region = "fra1" });
        volume.ExpectError(422, "unprocessable_entity");
        Assert.Contains("volume_gigabytes_limit of 10 GiB of volumes (20 GiB in use)", volume.Text);
    }

    [Fact]
    public async Task Admin_granted_works_at_once_and_taken_away_is_403_at_once()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Get("/users")).ExpectError(403, "forbidden");
        Assert.True((await Server.Admin.Put($"/users/{user.Id}", new { admin = true })).Expect(200)["user"].GetProperty("admin").GetBoolean());
        (await user.Api.Get("/users")).Expect(200);
        (await Server.Admin.Put($"/users/{user.Id}", new { admin = false })).Expect(200);
        (await user.Api.Get("/users")).ExpectError(403, "forbidden");
    }

    [Fact]
    public async Task Only_an_operator_changes_users_and_an_unknown_user_is_404()
    {
        var user = await TestAccounts.Create(Server);
        var other = await TestAccounts.Create(Server);
        (await user.Api.Put($"/users/{user.Id}", new { vm_limit = 1000 })).ExpectError(403, "forbidden");
        (await user.Api.Put($"/users/{other.Id}", new { vm_limit = 1000 })).ExpectError(403, "forbidden");
        (await Server.Admin.Put($"/users/{Formats.RandomId()}", new { vm_limit = 1 })).ExpectError(404, "not_found");
        Assert.Equal(100, (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("vm_limit").GetInt32());
    }

    public static readonly TheoryData<string, string> BadBodies = new()
    {
        { "{\"vm_limit\":-1}", "vm_limit" },
        { "{\"vm_limit\":\"5\"}", "vm_limit" },
        { "{\"volume_limit\":1000001}", "volume_limit" },
        { "{\"volume_gigabytes_limit\":1.5}", "volume_gigabytes_limit" },
        { "{\"email\":\"not-an-address\"}", "email" },
        { "{\"admin\":\"yes\"}", "admin" },
        { "{\"username\":\"renamed\"}", "username" },
        { "{\"password\":\"a-new-password\"}", "password" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_422_on_its_field_and_changes_nothing(string body, string field)
    {
        var user = await TestAccounts.Create(Server);
        var before = (await Server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"].GetRawText();
        var r = await Server.Admin.Send(HttpMethod.Put, $"/users/{user.Id}", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal([field], r.ErrorFields());
        Assert.Equal(before, (await Server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"].GetRawText());
    }

    [Fact]
    public async Task An_operator_cannot_take_admin_from_their_own_user()
    {
        var admin = await TestAccounts.Create(Server, admin: true);
        var r = await admin.Api.Put($"/users/{admin.Id}", new { admin = false });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["admin"], r.ErrorFields());
        (await admin.Api.Get("/users")).Expect(200);
    }
}
