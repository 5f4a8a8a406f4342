using Microsoft.AspNetCore.Http.Extensions;

namespace CloudsFor.Http;

/// <summary>?page= (from 1) and ?per_page= (1..200, default 20); anything else is a 400 that says so.</summary>
public readonly record struct PageRequest(int Page, int PerPage)
{
    public const int MaxPerPage = 200;

    public int Offset => (Page - 1) * PerPage;

    public static PageRequest From(HttpRequest request) =>
        new(Read(request, "page", 1, int.MaxValue / MaxPerPage), Read(request, "per_page", 1, MaxPerPage, fallback: 20));

    static int Read(HttpRequest request, string name, int min, int max, int fallback = 1)
    {
        var values = request.Query[name];
        if (values.Count == 0)
            return fallback;
        if (values.Count > 1 || !int.TryParse(values[0], System.Globalization.NumberStyles.None, null, out var number) || number < min || number > max)
            throw ApiError.BadRequest($"The query parameter {name} must be a whole number from {min} to {max}.");
        return number;
    }

    /// <summary>Absolute first/prev/next/last URLs for this request's other query parameters; only those that exist.</summary>
    public Dictionary<string, string> Links(HttpRequest request, long total)
    {
        var last = Math.Max(1, (int)Math.Min(int.MaxValue, (total + PerPage - 1) / PerPage));
        var links = new Dictionary<string, string>();
        if (Page > 1)
        {
            links["first"] = UrlFor(request, 1);
            links["prev"] = UrlFor(request, Math.Min(Page - 1, last));
        }
        if (Page < last)
        {
            links["next"] = UrlFor(request, Page + 1);
            links["last"] = UrlFor(request, last);
        }
        return links;
    }

    string UrlFor(HttpRequest request, int page)
    {
        var query = new QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (key is "page" or "per_page")
                continue;
            foreach (var value in values)
                query.Add(key, value ?? "");
        }
        query.Add("page", page.ToString());
        query.Add("per_page", PerPage.ToString());
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString());
    }
}
