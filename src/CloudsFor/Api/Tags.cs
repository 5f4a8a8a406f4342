using System.Text.RegularExpressions;
using CloudsFor.Http;

namespace CloudsFor.Api;

/// <summary>
/// The one rule for tag names, wherever a tag is given: in a body (tags of a VM, POST /tags), in a path (/tags/{name})
/// and in the tag_name filter of every list.
/// </summary>
public static partial class Tags
{
    public const string Rule = "letters, digits, ':', '-' and '_', 1 to 255 characters";

    [GeneratedRegex("^[A-Za-z0-9_:-]{1,255}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>What can carry a tag, and the collection each lives in (for last_tagged_uri).</summary>
    public static readonly IReadOnlyDictionary<string, string> ResourceTypes = new Dictionary<string, string>
    {
        ["vm"] = "vms", ["image"] = "images", ["volume"] = "volumes", ["domain"] = "domains",
    };

    /// <summary>The tags a row was read with (a JSON list, see TagsSql.TagsOf).</summary>
    public static IReadOnlyList<string> FromJson(string json) => json == "[]" ? [] : System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>A list of tags; duplicates are dropped.</summary>
    public static List<string>? Read(JsonBody body, string field)
    {
        var tags = body.Strings(field, maxItems: 50);
        if (tags?.FirstOrDefault(t => !IsValid(t)) is { } bad)
            body.Error(field, $"'{bad}' is not a valid tag ({Rule})");
        return tags?.Distinct().ToList();
    }

    /// <summary>The tag_name filter of a list, or null without one; a name that breaks the rule is a 400 (no tag could match it).</summary>
    public static string? Filter(HttpRequest request)
    {
        if (request.Query["tag_name"].ToString() is not { Length: > 0 } name)
            return null;
        if (!IsValid(name))
            throw ApiError.BadRequest($"The query parameter tag_name must be a tag name: {Rule}.");
        return name;
    }
}
