using System.Globalization;
using System.Text;

namespace CloudsFor.Bench;

/// <summary>The results as Markdown tables: printed row by row while the run goes, and written at the end.</summary>
public sealed class Report
{
    readonly StringBuilder head = new();
    readonly StringBuilder load = new();
    readonly StringBuilder scaling = new();
    readonly StringBuilder notes = new();

    /// <summary>The same, as tab-separated rows for bench/run.sh --compare-stores to gather (kind, then fields).</summary>
    public List<string> Rows { get; } = [];

    public void Line(string text)
    {
        head.AppendLine(text);
        Rows.Add("line\t" + text.Trim());
        Console.WriteLine(text);
    }

    /// <summary>A line under the load table (what the worker did after a run, memory at the end).</summary>
    public void Note(string text)
    {
        notes.AppendLine("- " + text);
        Rows.Add("note\t" + text);
        Console.WriteLine(text);
    }

    public void Load(string scenario, int connections, Measured api, Measured ceiling)
    {
        if (load.Length == 0)
            load.AppendLine("| scenario | conns | req/s | ceiling req/s | ratio | p50 ms | p99 ms | max ms | errors | ceiling p50 / p99 ms |")
                .AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var row = $"| {scenario} | {connections} | {N(api.Rps, 0)} | {N(ceiling.Rps, 0)} | {N(100 * api.Rps / Math.Max(1, ceiling.Rps), 0)}% " +
                  $"| {N(api.P50, 2)} | {N(api.P99, 2)} | {N(api.Max, 1)} | {api.Errors} of {api.Requests} | {N(ceiling.P50, 2)} / {N(ceiling.P99, 2)} |";
        load.AppendLine(row);
        Rows.Add(string.Join('\t', "load", scenario, connections, api.Rps.ToString(CultureInfo.InvariantCulture),
            ceiling.Rps.ToString(CultureInfo.InvariantCulture), api.Errors, api.Requests));
        Console.WriteLine(row);
    }

    public void Scaling(int vms, TimeSpan seed, double storeMiB, double rssMiB, double idleCpu, IReadOnlyList<(string Name, Measured M)> runs)
    {
        if (scaling.Length == 0)
            scaling.AppendLine("| VMs in store | seed (direct) | store MiB | RSS MiB | idle CPU | " + string.Join(" | ", runs.Select(r => $"{r.Name}: req/s, p50 / p99 ms")) + " |")
                .AppendLine("|--:|--:|--:|--:|--:|" + string.Concat(runs.Select(_ => "--:|")));
        var row = $"| {vms:N0} | {N(seed.TotalSeconds, 1)} s | {N(storeMiB, 1)} | {N(rssMiB, 0)} | {N(100 * idleCpu, 0)}% | " +
                  string.Join(" | ", runs.Select(r => $"{N(r.M.Rps, 0)}, {N(r.M.P50, 2)} / {N(r.M.P99, 2)}" + (r.M.Errors > 0 ? $" ({r.M.Errors} errors)" : ""))) + " |";
        scaling.AppendLine(row);
        Console.WriteLine(row);
    }

    public string Markdown(string scalingIntro) =>
        head + "\n## Throughput and latency, side by side with the ceiling\n\n" + load + (notes.Length > 0 ? "\n" + notes : "") +
        (scaling.Length > 0 ? "\n## A page as the store grows\n\n" + scalingIntro + "\n\n" + scaling : "");

    static string N(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
