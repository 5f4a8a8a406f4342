using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudsFor.Model;

/// <summary>
/// DNS names as the API takes them: internationalized labels become punycode (IDNA), everything is
/// lower-cased, a trailing dot is optional, and the limits of RFC 1035 hold (labels of 1 to 63
/// characters, 253 for the whole name). Names are kept without the trailing dot.
/// </summary>
public static partial class DomainNames
{
    public const int MaxLength = 253;

    [GeneratedRegex("^(?!-)[a-z0-9-]{1,63}(?<!-)$")]
    private static partial Regex HostLabel();

    // Owner names and alias targets may also hold service labels such as _sip or _dmarc.
    [GeneratedRegex("^(?!-)[a-z0-9_-]{1,63}(?<!-)$")]
    private static partial Regex ServiceLabel();

    static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false };

    /// <summary>A domain (zone) name: a host name of at least two labels whose last label is not a number.</summary>
    public static string? Domain(string input, out string problem)
    {
        problem = "";
        var name = Ascii(input, out problem);
        if (name is null)
            return null;
        var labels = name.Split('.');
        if (labels.Length < 2)
            problem = "must have at least two labels, e.g. example.com";
        else if (labels.FirstOrDefault(l => !HostLabel().IsMatch(l)) is { } bad)
            problem = $"has an invalid label '{bad}': use letters, digits and inner hyphens, 1 to 63 characters";
        else if (labels[^1].All(char.IsAsciiDigit))
            problem = "must not end in a numeric label (an address is not a domain name)";
        return problem.Length == 0 ? name : null;
    }

    /// <summary>
    /// A record's owner inside <paramref name="zone"/>: "@" is the apex, a name with a trailing dot is
    /// absolute (and must lie in the zone), any other is relative to the zone. Returns the relative
    /// form ("@", "www", "*.dev"); "*" may only be the leftmost label (a wildcard).
    /// </summary>
    public static string? Owner(string zone, string input, out string problem)
    {
        problem = "";
        if (input == "@")
            return "@";
        var absolute = input.EndsWith('.');
        var name = Ascii(absolute ? input : input + "." + zone, out problem);
        if (name is null)
            return null;
        if (name != zone && !name.EndsWith("." + zone, StringComparison.Ordinal))
        {
            problem = $"'{input}' is not inside {zone}";
            return null;
        }
        var relative = name == zone ? "@" : name[..^(zone.Length + 1)];
        var labels = relative == "@" ? [] : relative.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == "*" && i == 0)
                continue;
            if (!ServiceLabel().IsMatch(labels[i]))
            {
                problem = labels[i].Contains('*')
                    ? "may hold '*' only as its whole leftmost label (a wildcard)"
                    : $"has an invalid label '{labels[i]}': use letters, digits, '_' and inner hyphens, 1 to 63 characters";
                return null;
            }
        }
        return relative;
    }

    /// <summary>The fully qualified name of a relative owner ("@" is the zone itself).</summary>
    public static string Fqdn(string zone, string relative) => relative == "@" ? zone : relative + "." + zone;

    /// <summary>
    /// A name a record points at (CNAME, MX, NS, SRV targets; SOA names): fully qualified, with an
    /// optional trailing dot, or "@" for the zone itself. <paramref name="hostOnly"/> refuses service labels.
    /// </summary>
    public static string? Target(string zone, string input, bool hostOnly, out string problem)
    {
        problem = "";
        if (input == "@")
            return zone;
        var name = Ascii(input, out problem);
        if (name is null)
            return null;
        var labels = name.Split('.');
        if (labels.Length < 2)
            problem = $"'{input}' must be a fully qualified name such as www.{zone}, or @ for {zone} itself";
        else if (labels.FirstOrDefault(l => !(hostOnly ? HostLabel() : ServiceLabel()).IsMatch(l)) is { } bad)
            problem = $"has an invalid label '{bad}'";
        else if (labels[^1].All(char.IsAsciiDigit))
            problem = $"'{input}' is an address, not a name";
        return problem.Length == 0 ? name : null;
    }

    /// <summary>Lower-case ASCII (punycode for international labels), no trailing dot, within the length limits.</summary>
    static string? Ascii(string input, out string problem)
    {
        problem = "";
        var name = input.EndsWith('.') ? input[..^1] : input;
        if (name.Length == 0 || name.StartsWith('.') || name.Contains(".."))
        {
            problem = "must be a DNS name such as example.com (no empty labels)";
            return null;
        }
        if (!name.All(char.IsAscii))
        {
            try
            {
                name = string.Join('.', name.Split('.').Select(l => l.All(char.IsAscii) ? l : Idn.GetAscii(l)));
            }
            catch (ArgumentException)
            {
                problem = "is not a valid internationalized domain name";
                return null;
            }
        }
        name = name.ToLowerInvariant();
        foreach (var label in name.Split('.').Where(l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            try
            {
                Idn.GetUnicode(label);
            }
            catch (ArgumentException)
            {
                problem = $"has a label '{label}' that is not valid punycode";
                return null;
            }
        }
        if (name.Length > MaxLength)
            problem = $"must be at most {MaxLength} characters (as punycode)";
        else if (name.Split('.').Any(l => l.Length > 63))
            problem = "must have labels of at most 63 characters (as punycode)";
        return problem.Length == 0 ? name : null;
    }
}
