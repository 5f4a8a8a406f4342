using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CloudsFor.Cli;

/// <summary>Options every command takes (set on the root, recursive), and the two of every command that starts an action.</summary>
public static class Globals
{
    public static readonly Option<string?> Context = new("--context")
    {
        Description = "use this stored context instead of the current one",
        HelpName = "NAME",
        Recursive = true,
    };

    public static readonly Option<string> Output = new Option<string>("--output", "-o")
    {
        Description = "table (default; tab-separated when piped) or json (the API's objects, for jq)",
        HelpName = "table|json",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    }.AcceptOnlyFromAmong("table", "json");

    public static readonly Option<string?> Format = new("--format")
    {
        Description = "columns to show, comma-separated, any case (e.g. ID,Name,Status)",
        HelpName = "COLUMNS",
        Recursive = true,
    };

    public static readonly Option<bool> NoHeader = new("--no-header")
    {
        Description = "leave out the table's header line",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "print each request and answer (method, URL, status, request id, time) on stderr",
        Recursive = true,
    };

    public static readonly Option<bool> Wait = new("--wait")
    {
        Description = "wait until the action is done (a spinner on a terminal); vm create waits until the guest is ready",
    };

    public static readonly Option<TimeSpan> Timeout = new("--timeout")
    {
        Description = "give up waiting after this long (exit code 3): 90s, 10m, 1h",
        HelpName = "DURATION",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        CustomParser = ParseDuration,
    };

    static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var units = new Dictionary<char, double> { ['s'] = 1, ['m'] = 60, ['h'] = 3600 };
        if (text.Length > 1 && units.TryGetValue(text[^1], out var seconds)
            && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            return TimeSpan.FromSeconds(n * seconds);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            return span;
        result.AddError($"--timeout: '{text}' is not a duration such as 90s, 10m or 1h");
        return default;
    }
}
