using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>/users, the operator's route: create with validation, 409 on a taken name, list, get, delete (with the user's tokens and VMs).</summary>
public sealed class UserTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Create_answers_201_with_location_and_no_password()
    {
        var username = TestAccounts.UniqueName();
        var r = (await Server.Admin.Post("/users", new { username, password = "a-good-password", email = "new@example.test", vm_limit = 7 })).Expect(201);
        var user = r["user"];
        Formats.AssertId(user.GetProperty("id"));
        Assert.Equal(username, user.Str("username"));
        Assert.Equal("new@example.test", user.Str("email"));
        Assert.Equal("active", user.Str("status"));
        Assert.False(user.GetProperty("admin").GetBoolean());
        Assert.Equal(7, user.GetProperty("vm_limit").GetInt32());
        Formats.AssertTime(user.GetProperty("created_at"));
        Assert.EndsWith($"/api/v1/users/{user.Str("id")}", r.Header("Location"));
        Assert.DoesNotContain("a-good-password", r.Text);
        Assert.False(user.TryGetProperty("password", out _));
        Assert.False(user.TryGetProperty("password_hash", out _));
    }

    [Fact]
    public async Task The_new_user_logs_in_with_its_password_and_sees_its_account()
    {
        var user = await TestAccounts.Create(Server, vmLimit: 3);
        var account = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal(user.Username, account.Str("username"));
        Assert.Equal(user.Email, account.Str("email"));
        Assert.Equal(3, account.GetProperty("vm_limit").GetInt32());
    }

    [Theory]
    [InlineData("A-capital", "username")]
    [InlineData("1starts-with-digit", "username")]
    [InlineData("x", "username")]
    [InlineData("has space", "username")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "username")]
    public async Task Invalid_usernames_are_422(string username, string field)
    {
        var r = await Server.Admin.Post("/users", new { username, password = "a-good-password", email = "a@example.test" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
    }

    [Fact]
    public async Task The_longest_valid_username_is_accepted()
    {
        var username = ("z" + TestAccounts.UniqueName()).PadRight(32, 'x');
        (await Server.Admin.Post("/users", new { username, password = "a-good-password", email = "a@example.test" })).Expect(201);
    }

    [Fact]
    public async Task Short_password_and_email_without_at_are_422_together()
    {
        var r = await Server.Admin.Post("/users", new { username = TestAccounts.UniqueName(), password = "short", email = "not-an-email" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("password", r.ErrorFields());
        Assert.Contains("email", r.ErrorFields());
    }

    [Fact]
    public async Task Missing_fields_are_422_naming_each()
    {
        var r = await Server.Admin.Post("/users", new { });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("username", r.ErrorFields());
        Assert.Contains("password", r.ErrorFields());
        Assert.Contains("email", r.ErrorFields());
    }

    [Fact]
    public async Task A_taken_username_is_409_and_the_original_keeps_its_password()
    {
        var user = await TestAccounts.Create(Server);
        (await Server.Admin.Post("/users", new { username = user.Username, password = "other-password", email = "o@example.test" }))
            .ExpectError(409, "conflict");
        (await user.Api.Get("/account")).Expect(200);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_username_make_one_user_and_409s()
    {
        var username = TestAccounts.UniqueName();
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            Server.Admin.Post("/users", new { username, password = $"password-{i}", email = $"{i}@example.test" })));
        Assert.Single(answers, a => a.Status == 201);
        Assert.All(answers.Where(a => a.Status != 201), a => a.ExpectError(409, "conflict"));
    }

    [Theory]
    [InlineData("{\"vm_limit\":-1}", "vm_limit")]
    [InlineData("{\"vm_limit\":\"ten\"}", "vm_limit")]
    [InlineData("{\"admin\":\"yes\"}", "admin")]
    public async Task Invalid_limits_and_flags_are_422(string extra, string field)
    {
        var body = $"{{\"username\":\"{TestAccounts.UniqueName()}\",\"password\":\"a-good-password\",\"email\":\"a@example.test\"," + extra[1..];
        var r = await Server.Admin.Post("/users", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
    }

    [Fact]
    public async Task List_and_get_show_the_user()
    {
        var user = await TestAccounts.Create(Server);
        var one = (await Server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"];
        Assert.Equal(user.Username, one.Str("username"));
        // The shared server holds every test's users: walk all pages rather than hope for the first.
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var all = (await Server.Admin.Get($"/users?per_page=200&page={page}")).Expect(200);
            Assert.DoesNotContain("password", all.Text);
            var users = all["users"].Ids();
            ids.AddRange(users);
            if (users.Count < 200)
                break;
        }
        Assert.Contains(user.Id, ids);
        (await Server.Admin.Get($"/users/{Formats.RandomId()}")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Delete_removes_the_user_its_tokens_and_its_vms()
    {
        var user = await TestAccounts.Create(Server);
        var (_, secret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        await Vms.CreateActive(user.Api);
        (await Server.Admin.Delete($"/users/{user.Id}")).Expect(204);
        (await Server.Admin.Get($"/users/{user.Id}")).ExpectError(404, "not_found");
        (await ApiClient.Bearer(Server, secret).Get("/vms")).ExpectError(401, "unauthorized");
        (await user.Api.Get("/vms")).ExpectError(401, "unauthorized");
        Assert.DoesNotContain(user.Id, (await Server.Admin.Get("/users?per_page=200")).Expect(200)["users"].Ids());
        (await Server.Admin.Delete($"/users/{user.Id}")).ExpectError(404, "not_found");

        // The name is free again, and the new user starts empty: nothing of the old one is inherited.
        var again = (await Server.Admin.Post("/users", new { username = user.Username, password = user.Password, email = user.Email })).Expect(201);
        Assert.NotEqual(user.Id, again["user"].Str("id"));
        var fresh = (await user.Api.Get("/account")).Expect(200)["account"];
        Assert.Equal(0, fresh.GetProperty("usage").GetProperty("vms").GetInt32());
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_admin_cannot_delete_itself()
    {
        var admin = (await Server.Admin.Get("/account")).Expect(200)["account"].Str("uuid");
        (await Server.Admin.Delete($"/users/{admin}")).ExpectError(422, "unprocessable_entity");
        (await Server.Admin.Get("/account")).Expect(200);
    }
}
