using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class ErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task An_invalid_create_is_one_422_with_an_error_per_field_and_is_not_retried()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(shared.Server, o => o.Handlers.Add(recorder));
        using var _ = client;

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Vms.CreateAsync(new CreateVmRequest("bad_name!", "no-such-size", Vms.TinyImage)));

        Assert.Equal(422, e.Status);
        Assert.Equal("unprocessable_entity", e.Id);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
        Assert.Equal(["name", "size"], e.Errors.Select(f => f.Field).Order());
        Assert.Single(recorder.Exchanges, x => x.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_missing_vm_is_a_404_not_found()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Vms.GetAsync(new string('0', 32)));

        Assert.Equal(404, e.Status);
        Assert.Equal("not_found", e.Id);
        Assert.Empty(e.Errors);
    }

    [Fact]
    public async Task A_wrong_password_is_a_401_unauthorized()
    {
        var (user, good) = await Clients.NewUser(shared.Server);
        good.Dispose();
        using var client = Clients.For(shared.Server, CloudsForCredential.Basic(user.Username, "not-the-password"));

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Account.GetAsync());

        Assert.Equal(401, e.Status);
        Assert.Equal("unauthorized", e.Id);
    }

    [Fact]
    public async Task A_token_signs_in_and_reads_the_account()
    {
        var (user, basic) = await Clients.NewUser(shared.Server);
        using var _ = basic;
        var token = await basic.Tokens.CreateAsync(new CreateTokenRequest("cli", [TokenScope.Read]));
        using var client = Clients.For(shared.Server, CloudsForCredential.Token(token.Secret!));

        var account = await client.Account.GetAsync();

        Assert.Equal(user.Id, account.Uuid);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.Domains.CreateAsync(new CreateDomainRequest("example.test")));
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task A_conflict_other_than_a_lock_is_not_retried()
    {
        var recorder = new RecordingHandler();
        using var admin = Clients.For(shared.Server, CloudsForCredential.Basic("admin", shared.Server.AdminPassword), o => o.Handlers.Add(recorder));
        var name = TestAccounts.UniqueName();
        await admin.Users.CreateAsync(new CreateUserRequest(name, "password-1", name + "@example.test"));

        var e = await Assert.ThrowsAsync<ApiException>(() => admin.Users.CreateAsync(new CreateUserRequest(name, "password-2", name + "@example.test")));

        Assert.Equal(409, e.Status);
        Assert.Equal(2, recorder.Exchanges.Count(x => x.Method == HttpMethod.Post));
    }
}
