using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CloudsFor.Bench;

/// <summary>
/// bench/run.sh --compare-stores: the same short scenario set once per store set-up, each pass a run of this runner
/// of its own (one after the other, each with a fresh store and fresh servers), and one table of req/s side by side.
/// </summary>
public static class Compare
{
    /// <summary>
    /// Short enough that the four passes take well under 10 minutes on 2 cores; any of it can be overridden. Seeding with
    /// one name per POST on every pass: a POST /vms with several names failed on PostgreSQL when this was written
    /// (500, duplicate key in vms), and the seeding rates stay comparable between the passes. No HTTP/2 runs: the table compares
    /// stores, which the protocol does not touch (`--h2-streams 1` runs them in each pass, printed as it goes; the table stays HTTP/1.1).
    /// </summary>
    static readonly string[] Defaults =
        ["--vms", "2000", "--connections", "16", "--rounds", "1", "--duration", "3", "--sizes", "none", "--seed-batch", "1", "--h2-streams", "0",
         "--only", "(first page)|GET /vms/{id}|POST /vms"];

    static readonly (string Title, string[] Args)[] Passes =
    [
        ("SQLite NORMAL", ["--database", "sqlite", "--sqlite-synchronous", "normal"]),
        ("SQLite FULL", ["--database", "sqlite", "--sqlite-synchronous", "full"]),
        ("PostgreSQL", ["--database", "postgres", "--servers", "1"]),
        ("PostgreSQL, 2 servers + HAProxy", ["--database", "postgres", "--servers", "2"]),
    ];

    public static async Task<int> Run(string[] args, string outPath)
    {
        // The caller's own options go to every pass, after the defaults (the last one given wins), less what belongs to the compare.
        var given = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--compare-stores")
                continue;
            if (args[i] is "--out" or "--rows")
            {
                i++;
                continue;
            }
            given.Add(args[i]);
        }
        var loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var started = DateTime.UtcNow;
        var folder = Directory.CreateTempSubdirectory("cloudsfor-compare-").FullName;
        var passes = new List<Pass>();
        try
        {
            foreach (var (title, passArgs) in Passes)
            {
                var rows = Path.Combine(folder, $"pass-{passes.Count}.tsv");
                string[] all = [.. Defaults, .. given, .. passArgs, "--out", Path.Combine(folder, $"pass-{passes.Count}.md"), "--rows", rows];
                Console.WriteLine($"\n=== {title}: bench-runner {string.Join(' ', all.Select(Quote))}\n");
                var clock = Stopwatch.StartNew();
                var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bench-runner.dll"));
                foreach (var a in all)
                    start.ArgumentList.Add(a);
                using var p = Process.Start(start)!;
                await p.WaitForExitAsync();
                if (p.ExitCode != 0)
                    throw new InvalidOperationException($"the pass '{title}' failed ({p.ExitCode}); its output is above");
                passes.Add(new Pass(title, string.Join(' ', passArgs.Select(Quote)), (await File.ReadAllLinesAsync(rows)).Select(l => l.Split('\t')).ToList(),
                    clock.Elapsed));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        var markdown = Markdown(passes, started, loadAverage, string.Join(' ', [.. Defaults.Select(Quote), .. given.Select(Quote)]));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await File.WriteAllTextAsync(outPath, markdown);
        Console.WriteLine($"\nwritten to {outPath}\n\n{markdown}");
        return 0;
    }

    sealed record Pass(string Title, string Args, List<string[]> Rows, TimeSpan Took)
    {
        public IEnumerable<string[]> Of(string kind) => Rows.Where(r => r[0] == kind);
    }

    static string Markdown(List<Pass> passes, DateTime started, string loadAverage, string shared)
    {
        var text = new StringBuilder();
        text.AppendLine($"# CloudsFor on SQLite and PostgreSQL, {started:yyyy-MM-dd HH:mm} UTC\n");
        text.AppendLine($"`bench/run.sh --compare-stores`: {passes.Count} passes of the benchmark one after the other, each with a fresh store and " +
            $"fresh servers, all with `{shared}`. Machine: {Environment.ProcessorCount} cores, load average {loadAverage} at the start; " +
            "the machine is shared with other builds and tests, so absolute figures are low and move a lot from run to run: " +
            "compare within a row, and read the % (the pass's req/s over its own ceiling run, the same bytes minutes apart) before the req/s.\n");
        text.AppendLine("| pass | options | took |");
        text.AppendLine("|---|---|--:|");
        foreach (var pass in passes)
            text.AppendLine($"| {pass.Title} | `{pass.Args}` | {pass.Took.TotalMinutes:0.0} min |");
        text.AppendLine();
        text.AppendLine("## Requests per second, side by side\n");
        text.AppendLine("Each cell: req/s (% of that pass's ceiling run). Ceiling: the best of the passes' ceiling runs (a bare ASP.NET Core " +
            "server with the same TLS and Kestrel set-up answering the same bytes, reached directly). The two POST rows are durable writes on " +
            "SQLite FULL and on PostgreSQL (synchronous_commit=on): each answer came after its commit reached the disk, many requests sharing one " +
            "commit (group commit).\n");
        text.AppendLine("| scenario | conns | " + string.Join(" | ", passes.Select(p => p.Title)) + " | ceiling |");
        text.AppendLine("|---|--:|" + string.Concat(passes.Select(_ => "--:|")) + "--:|");
        var keys = passes.SelectMany(p => p.Of("load")).Select(r => (Scenario: r[1], Conns: r[2])).Distinct().ToList();
        foreach (var (scenario, conns) in keys)
        {
            var cells = new List<string>();
            var ceiling = 0.0;
            foreach (var pass in passes)
            {
                var row = pass.Of("load").FirstOrDefault(r => r[1] == scenario && r[2] == conns);
                if (row is null)
                {
                    cells.Add("–");
                    continue;
                }
                double rps = D(row[3]), top = D(row[4]);
                ceiling = Math.Max(ceiling, top);
                var errors = long.Parse(row[5], CultureInfo.InvariantCulture);
                cells.Add($"{N(rps)} ({100 * rps / Math.Max(1, top):0}%)" + (errors > 0 ? $", {errors} errors" : ""));
            }
            text.AppendLine($"| {scenario} | {conns} | {string.Join(" | ", cells)} | {N(ceiling)} |");
        }
        text.AppendLine("\n## Each pass's seeding and notes\n");
        foreach (var pass in passes)
        {
            text.AppendLine($"**{pass.Title}**: " + string.Join(" ", pass.Of("line").Select(r => r[1]).Where(l => l.StartsWith("Seed:", StringComparison.Ordinal))));
            text.AppendLine();
            foreach (var note in pass.Of("note"))
                text.AppendLine("- " + note[1]);
            text.AppendLine();
        }
        return text.ToString();
    }

    static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string Quote(string arg) => arg.Contains(' ') || arg.Contains('|') ? $"'{arg}'" : arg;
}
