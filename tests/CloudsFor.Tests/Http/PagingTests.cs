using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>A user holding 21 tokens: a collection big enough for several pages and for the default page size.</summary>
public sealed class TwentyOneTokens : IAsyncLifetime
{
    public const int Count = 21;

    public ServerProcess Server { get; private set; } = null!;
    public TestUser User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SharedServer.Get();
        User = await TestAccounts.Create(Server);
        for (var i = 0; i < Count; i++)
            await TestAccounts.CreateToken(User.Api, ["read"], $"token-{i:D2}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>?page and ?per_page, links.pages, meta.total, X-Total-Count and the Link header, on the tokens collection.</summary>
public sealed class PagingTests(TwentyOneTokens data) : IClassFixture<TwentyOneTokens>
{
    ApiClient Caller => data.User.Api;

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("page=1.5")]
    [InlineData("per_page=0")]
    [InlineData("per_page=201")]
    [InlineData("per_page=abc")]
    [InlineData("per_page=")]
    [InlineData("per_page=99999999999999999999")]
    public async Task Out_of_range_or_non_numeric_paging_is_a_400_that_says_which_parameter(string query)
    {
        var r = await Caller.Get("/tokens?" + query);
        r.ExpectError(400, "bad_request");
        Assert.Contains(query.Split('=')[0], r.Message);
    }

    [Fact]
    public async Task Per_page_200_is_the_largest_allowed()
    {
        var r = (await Caller.Get("/tokens?per_page=200")).Expect(200);
        Assert.Equal(TwentyOneTokens.Count, r["tokens"].GetArrayLength());
    }

    [Fact]
    public async Task Default_page_holds_20()
    {
        var r = (await Caller.Get("/tokens")).Expect(200);
        Assert.Equal(20, r["tokens"].GetArrayLength());
        Assert.Equal(TwentyOneTokens.Count, r["meta"].GetProperty("total").GetInt32());
        var last = new Uri(r["links"].GetProperty("pages").GetProperty("last").GetString()!);
        var query = System.Web.HttpUtility.ParseQueryString(last.Query);
        Assert.Equal("2", query["page"]);
        Assert.True(query["per_page"] is null or "20", $"last link {last} changes the page size");
    }

    [Fact]
    public async Task First_page_links_only_forward()
    {
        var r = (await Caller.Get("/tokens?per_page=5")).Expect(200);
        Assert.Equal(5, r["tokens"].GetArrayLength());
        var pages = PageLinks(r);
        Assert.Equal(["last", "next"], pages.Keys.Order());
        AssertLink(pages["next"], "/tokens", page: 2, perPage: 5);
        AssertLink(pages["last"], "/tokens", page: 5, perPage: 5);
        AssertHeadersMatchBody(r, pages);
    }

    [Fact]
    public async Task Middle_page_links_every_way()
    {
        var r = (await Caller.Get("/tokens?page=3&per_page=5")).Expect(200);
        var pages = PageLinks(r);
        Assert.Equal(["first", "last", "next", "prev"], pages.Keys.Order());
        AssertLink(pages["first"], "/tokens", page: 1, perPage: 5);
        AssertLink(pages["prev"], "/tokens", page: 2, perPage: 5);
        AssertLink(pages["next"], "/tokens", page: 4, perPage: 5);
        AssertLink(pages["last"], "/tokens", page: 5, perPage: 5);
        AssertHeadersMatchBody(r, pages);
    }

    [Fact]
    public async Task Last_page_links_only_back_and_holds_the_rest()
    {
        var r = (await Caller.Get("/tokens?page=5&per_page=5")).Expect(200);
        Assert.Equal(1, r["tokens"].GetArrayLength());
        var pages = PageLinks(r);
        Assert.Equal(["first", "prev"], pages.Keys.Order());
        AssertLink(pages["first"], "/tokens", page: 1, perPage: 5);
        AssertLink(pages["prev"], "/tokens", page: 4, perPage: 5);
        AssertHeadersMatchBody(r, pages);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_with_the_true_total()
    {
        var r = (await Caller.Get("/tokens?page=9&per_page=5")).Expect(200);
        Assert.Equal(0, r["tokens"].GetArrayLength());
        Assert.Equal(TwentyOneTokens.Count, r["meta"].GetProperty("total").GetInt32());
        Assert.Equal(TwentyOneTokens.Count.ToString(), r.Header("X-Total-Count"));
    }

    [Fact]
    public async Task A_collection_that_fits_one_page_has_empty_links_and_no_Link_header()
    {
        var r = (await Caller.Get("/tokens?per_page=50")).Expect(200);
        Assert.Equal(JsonValueKind.Object, r["links"].ValueKind);
        Assert.Empty(r["links"].EnumerateObject());
        Assert.Null(r.Header("Link"));
        Assert.Equal(TwentyOneTokens.Count.ToString(), r.Header("X-Total-Count"));
    }

    [Fact]
    public async Task Following_next_links_visits_everything_once_in_creation_order()
    {
        var seen = new List<JsonElement>();
        string? next = "/tokens?per_page=4";
        while (next is not null)
        {
            var r = (await Caller.Get(next)).Expect(200);
            seen.AddRange(r["tokens"].EnumerateArray());
            next = r["links"].TryGetProperty("pages", out var pages) && pages.TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        Assert.Equal(TwentyOneTokens.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Select(t => t.Str("id")).Distinct().Count());
        // Created one after another, so creation order is name order.
        Assert.Equal(Enumerable.Range(0, TwentyOneTokens.Count).Select(i => $"token-{i:D2}"), seen.Select(t => t.Str("name")));
        var times = seen.Select(t => Formats.Time(t.GetProperty("created_at"))).ToList();
        Assert.Equal(times.Order(), times);
    }

    /// <summary>An absolute URL of this server's collection with exactly these page parameters (in any order).</summary>
    void AssertLink(string link, string path, int page, int perPage) => Links.AssertPage(data.Server, link, path, page, perPage);

    static Dictionary<string, string> PageLinks(ApiResponse r) =>
        r["links"].GetProperty("pages").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>X-Total-Count is meta.total, and the RFC 8288 Link header lists exactly links.pages.</summary>
    static void AssertHeadersMatchBody(ApiResponse r, Dictionary<string, string> pages)
    {
        Assert.Equal(r["meta"].GetProperty("total").GetInt32().ToString(), r.Header("X-Total-Count"));
        var link = r.Header("Link");
        Assert.NotNull(link);
        var parsed = link.Split(',')
            .Select(part => part.Trim().Split(';', 2))
            .ToDictionary(p => p[1].Trim().Replace("rel=", "").Trim('"'), p => p[0].Trim().TrimStart('<').TrimEnd('>'));
        Assert.Equal(pages.OrderBy(p => p.Key), parsed.OrderBy(p => p.Key));
    }
}
