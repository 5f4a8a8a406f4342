namespace CloudsFor.Client.Pipeline;

/// <summary>Relative paths under the API root, with escaped segments and the query parameters that are set.</summary>
internal static class Paths
{
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public static string With(string path, params (string Name, object? Value)[] query)
    {
        var set = query.Where(q => q.Value is not null)
            .Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value is bool b ? (b ? "true" : "false") : Convert.ToString(q.Value, System.Globalization.CultureInfo.InvariantCulture)!))
            .ToList();
        return set.Count == 0 ? path : path + "?" + string.Join("&", set);
    }
}
