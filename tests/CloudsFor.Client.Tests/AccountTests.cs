using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

/// <summary>The account, its tokens and the catalog, through the client.</summary>
public sealed class AccountTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_token_made_by_the_client_signs_in_until_it_is_deleted_and_its_secret_is_shown_once()
    {
        var (user, client) = await Clients.NewUser(shared.Server);
        using var _ = client;

        var token = await client.Tokens.CreateAsync(new CreateTokenRequest("ci", [TokenScope.Read], ExpiresInSeconds: 3600));

        Assert.NotNull(token.Secret);
        Assert.NotNull(token.ExpiresAt);
        Assert.Null((await client.Tokens.GetAsync(token.Id)).Secret);
        using var byToken = Clients.For(shared.Server, CloudsForCredential.Token(token.Secret));
        var account = await byToken.Account.GetAsync();
        Assert.Equal(user.Username, account.Username);
        Assert.Equal(user.Id, account.Uuid);
        var readOnly = await Assert.ThrowsAsync<ApiException>(() => byToken.Domains.CreateAsync(new CreateDomainRequest(Domains.UniqueName())));
        Assert.Equal(403, readOnly.Status);

        Assert.Equal("ci-renamed", (await client.Tokens.UpdateAsync(token.Id, new UpdateTokenRequest("ci-renamed"))).Name);
        Assert.Equal(["ci-renamed"], await client.Tokens.ListAsync().Select(t => t.Name).ToListAsync());

        await client.Tokens.DeleteAsync(token.Id);
        Assert.Equal(401, (await Assert.ThrowsAsync<ApiException>(() => byToken.Account.GetAsync())).Status);
    }

    [Fact]
    public async Task The_account_counts_what_its_vms_use()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), "s-1vcpu-1gb", Vms.TinyImage));
        await client.Actions.WaitForActionAsync(created.ActionId);

        var account = await client.Account.GetAsync();

        Assert.Equal(new AccountUsage(1, 1, 1024, 25), account.Usage);
        Assert.Equal("active", account.Status);
    }

    [Fact]
    public async Task The_catalog_lists_regions_and_sizes_that_refer_to_each_other()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;

        var regions = await client.Regions.ListAsync().ToListAsync();
        var sizes = await client.Sizes.ListAsync(perPage: 2).ToListAsync();

        Assert.Equal(["fra1", "nyc1"], regions.Select(r => r.Slug));
        Assert.Equal(["s-1vcpu-512mb", "s-1vcpu-1gb", "s-2vcpu-2gb", "s-2vcpu-4gb", "s-4vcpu-8gb"], sizes.Select(s => s.Slug));
        var small = await client.Sizes.GetAsync(Vms.SmallSize);
        Assert.Equal(512, small.Memory);
        Assert.All(small.Regions, slug => Assert.Contains(Vms.SmallSize, regions.Single(r => r.Slug == slug).Sizes));
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.Regions.GetAsync("mars1"))).Status);
    }
}
