using System.Globalization;

namespace CloudsFor.Cli.Output;

/// <summary>One column a resource can show: its name for --format, how to read it, and whether the table shows it by default.</summary>
public sealed record Column<T>(string Name, Func<T, string?> Read, bool Default = true);

/// <summary>How values look in a table cell.</summary>
public static class Cell
{
    public static string Time(DateTimeOffset? at) =>
        at is null ? "" : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string List(IEnumerable<string>? values) => values is null ? "" : string.Join(",", values);

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Flag(bool value) => value ? "true" : "false";
}
