using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace CloudsFor.Cli.Output;

/// <summary>
/// Writes what a command answers: an aligned table on a terminal, tab-separated lines on a pipe (the header too unless
/// --no-header), or with `-o json` the API's objects (one object for one, an array for a list) for jq.
/// </summary>
public sealed class Printer(bool json, string? format, bool noHeader)
{
    public void List<T>(IReadOnlyList<T> items, IReadOnlyList<Column<T>> columns, JsonTypeInfo<List<T>> type)
    {
        if (json)
            WriteJson(JsonSerializer.Serialize(items.ToList(), type));
        else
            Table(items, columns);
    }

    public void One<T>(T item, IReadOnlyList<Column<T>> columns, JsonTypeInfo<T> type)
    {
        if (json)
            WriteJson(JsonSerializer.Serialize(item, type));
        else
            Table([item], columns);
    }

    /// <summary>The columns --format names, in its order, matched without regard to case; else the default ones.</summary>
    public static IReadOnlyList<Column<T>> Select<T>(IReadOnlyList<Column<T>> columns, string? format)
    {
        if (format is null)
            return columns.Where(c => c.Default).ToList();
        var chosen = new List<Column<T>>();
        foreach (var name in format.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            chosen.Add(columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                       ?? throw new UsageException($"--format: no column {name}; the columns are {string.Join(",", columns.Select(c => c.Name))}"));
        return chosen.Count > 0 ? chosen : throw new UsageException("--format: name at least one column");
    }

    void Table<T>(IReadOnlyList<T> items, IReadOnlyList<Column<T>> all)
    {
        var columns = Select(all, format);
        var rows = items.Select(item => columns.Select(c => c.Read(item) ?? "").ToList()).ToList();
        if (Console.IsOutputRedirected)
        {
            var output = Console.Out;
            if (!noHeader)
                output.WriteLine(string.Join('\t', columns.Select(c => c.Name)));
            foreach (var row in rows)
                output.WriteLine(string.Join('\t', row.Select(Flat)));
            return;
        }
        var table = new Table().Border(TableBorder.None).HideHeaders();
        if (!noHeader)
            table.ShowHeaders();
        for (var i = 0; i < columns.Count; i++)
            table.AddColumn(new TableColumn(new Text(columns[i].Name, new Style(decoration: Decoration.Bold)))
                { Padding = new Padding(0, 0, i < columns.Count - 1 ? 2 : 0, 0) });
        foreach (var row in rows)
            table.AddRow(row.Select(value => new Text(value)).ToArray());
        AnsiConsole.Write(table);
    }

    /// <summary>A tab or line break inside a value would break the one-line-per-row, tab-separated shape.</summary>
    static string Flat(string value) => value.ReplaceLineEndings(" ").Replace('\t', ' ');

    static void WriteJson(string text) => Console.Out.WriteLine(text);
}
