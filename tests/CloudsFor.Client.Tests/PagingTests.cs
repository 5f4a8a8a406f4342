using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class PagingTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task ListAsync_follows_next_links_across_every_page()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(shared.Server, o => o.Handlers.Add(recorder));
        using var _ = client;
        var made = new HashSet<string>();
        for (var i = 0; i < 45; i++)
            made.Add((await client.Tokens.CreateAsync(new CreateTokenRequest($"t{i}", [TokenScope.Read]))).Id);

        var listed = new List<string>();
        await foreach (var token in client.Tokens.ListAsync(perPage: 20))
            listed.Add(token.Id);

        Assert.Equal(made.Order(), listed.Order());
        Assert.Equal(45, listed.Distinct().Count());
        var pageReads = recorder.Exchanges.Where(e => e.Method == HttpMethod.Get && e.PathAndQuery.Contains("/tokens")).ToList();
        Assert.Equal(3, pageReads.Count);
    }

    [Fact]
    public async Task GetPageAsync_reads_one_page_with_the_total_and_links()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        for (var i = 0; i < 5; i++)
            await client.Tokens.CreateAsync(new CreateTokenRequest($"t{i}", [TokenScope.Read]));

        var page = await client.Tokens.GetPageAsync(page: 2, perPage: 2);

        Assert.Equal(2, page.Items.Count);
        Assert.Equal(5, page.Total);
        Assert.Equal("3", System.Web.HttpUtility.ParseQueryString(page.Links.Next!.Query)["page"]);
        Assert.Equal("1", System.Web.HttpUtility.ParseQueryString(page.Links.Prev!.Query)["page"]);
    }
}
