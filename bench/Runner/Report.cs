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
    readonly StringBuilder http2 = new();
    readonly StringBuilder http2Notes = new();

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

    /// <summary>A line under the HTTP/2 table.</summary>
    public void Http2Note(string text)
    {
        http2Notes.AppendLine("- " + text);
        Rows.Add("note2\t" + text);
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

    /// <summary>A run with any answer not 2xx shows as failed: its req/s and times are not figures of the API's work.</summary>
    public void Http2(string scenario, int connections, int streams, H2Measured api, H2Measured ceiling)
    {
        if (http2.Length == 0)
            http2.AppendLine("| scenario | conns | streams/conn | req/s | ceiling req/s | ratio | mean ms | sd ms | max ms | errors | ceiling mean / max ms |")
                .AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        string Rps(H2Measured m) => m.Failed ? "failed" : N(m.Rps, 0);
        var ratio = api.Failed || ceiling.Failed ? "–" : N(100 * api.Rps / Math.Max(1, ceiling.Rps), 0) + "%";
        var errors = (api.Failed ? $"{api.Errors} of {api.Requests} ({api.Statuses})" : $"0 of {api.Requests}") +
                     (ceiling.Failed ? $"; ceiling {ceiling.Errors} of {ceiling.Requests} ({ceiling.Statuses})" : "");
        var times = api.Failed ? "– | – | –" : $"{N(api.Mean, 2)} | {N(api.Sd, 2)} | {N(api.Max, 1)}";
        var ceilingTimes = ceiling.Failed ? "–" : $"{N(ceiling.Mean, 2)} / {N(ceiling.Max, 1)}";
        var row = $"| {scenario} | {connections} | {streams} | {Rps(api)} | {Rps(ceiling)} | {ratio} | {times} | {errors} | {ceilingTimes} |";
        http2.AppendLine(row);
        Rows.Add(string.Join('\t', "load2", scenario, connections, api.Failed ? "failed" : api.Rps.ToString(CultureInfo.InvariantCulture),
            ceiling.Failed ? "failed" : ceiling.Rps.ToString(CultureInfo.InvariantCulture), api.Errors, api.Requests));
        Console.WriteLine("HTTP/2 " + row);
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

    public string Markdown(string http2Intro, string scalingIntro) =>
        head + "\n## Throughput and latency, side by side with the ceiling\n\n" + load + (notes.Length > 0 ? "\n" + notes : "") +
        (http2.Length > 0 ? "\n## HTTP/2, side by side with the ceiling\n\n" + http2Intro + "\n\n" + http2 + (http2Notes.Length > 0 ? "\n" + http2Notes : "") : "") +
        (scaling.Length > 0 ? "\n## A page as the store grows\n\n" + scalingIntro + "\n\n" + scaling : "");

    static string N(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
