using System.Text.RegularExpressions;

namespace CloudsFor.Model;

public static partial class Hostnames
{
    [GeneratedRegex("^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")]
    private static partial Regex Label();

    /// <summary>RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(label => Label().IsMatch(label));
}
