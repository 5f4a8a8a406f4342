using System.Text.RegularExpressions;
using CloudsFor.Http;

namespace CloudsFor.Api;

public static partial class Tags
{
    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,255}$")]
    private static partial Regex Pattern();

    /// <summary>Tag names: letters, digits, '_', ':', '.', '-'; duplicates are dropped.</summary>
    public static List<string>? Read(JsonBody body, string field)
    {
        var tags = body.Strings(field, maxItems: 50);
        if (tags?.FirstOrDefault(t => !Pattern().IsMatch(t)) is { } bad)
            body.Error(field, $"'{bad}' is not a valid tag (letters, digits, '_', ':', '.', '-')");
        return tags?.Distinct().ToList();
    }
}
