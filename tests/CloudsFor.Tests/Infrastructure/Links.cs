using System.Web;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>Checks a paging link by meaning (absolute, this server, this path, these parameters), not by parameter order.</summary>
public static class Links
{
    public static void AssertPage(ServerProcess server, string link, string path, int page, int perPage, IDictionary<string, string>? otherParameters = null)
    {
        Assert.True(Uri.TryCreate(link, UriKind.Absolute, out var uri), $"'{link}' is not an absolute URL");
        Assert.Equal(server.BaseUrl + path, uri.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(uri.Query);
        var expected = new Dictionary<string, string>(otherParameters ?? new Dictionary<string, string>())
        {
            ["page"] = page.ToString(),
            ["per_page"] = perPage.ToString(),
        };
        var actual = query.AllKeys.ToDictionary(k => k!, k => query[k]!);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }
}
