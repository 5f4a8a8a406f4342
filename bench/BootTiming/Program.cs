using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CloudsFor.Bench.BootTiming;

// boot-timing SERVER_DLL RUNS REPORT: CloudsFor's qemu driver against plain QEMU with the same command line, one VM at a time
// (median of RUNS) and 4 at once; prints a Markdown table and writes it to REPORT.
if (args.Length != 3 || !int.TryParse(args[1], out var runs) || runs < 1)
{
    Console.Error.WriteLine("usage: boot-timing SERVER_DLL RUNS REPORT");
    return 2;
}
var (dll, report) = (args[0], args[2]);
var work = Directory.CreateTempSubdirectory("cloudsfor-boot.").FullName;
var data = Path.Combine(work, "data");
var vmsDir = Path.Combine(data, "qemu", "vms");
var clock = Stopwatch.StartNew();
var loadBefore = Program.Load();
var deadline = TimeSpan.FromMinutes(5);

var single = new List<(double Active, double Ready, double Plain)>();
List<(double Active, double Ready)> together;
List<double> plainTogether;
string accelerator, commandLine;
try
{
    await using var server = await CloudsForServer.Start(dll, data, clock);
    async Task<List<(double Active, double Ready)>> CloudsFor(params string[] names)
    {
        var start = clock.Elapsed;
        var ids = await server.Create(names);
        var times = await server.WaitReady(ids, deadline);
        await server.Delete(ids);
        return times.Select(t => ((t.Active - start).TotalSeconds, (t.Ready - start).TotalSeconds)).ToList();
    }

    // The first boot builds the tiny image and decides KVM or TCG: not measured. Its machine gives the plain runs their command line.
    var warm = await server.Create(["warmup"]);
    await server.WaitReady(warm, TimeSpan.FromMinutes(15));
    using var plain = await PlainQemu.From(vmsDir, warm[0], Path.Combine(work, "plain"), clock);
    await server.Delete(warm);
    await plain.Boot(1, deadline);
    async Task<List<double>> Plain(int count)
    {
        var (start, ready) = await plain.Boot(count, deadline);
        return ready.Select(r => (r - start).TotalSeconds).ToList();
    }

    // Each CloudsFor run is followed by its plain run, so a change in the machine's load falls on both alike; none overlap.
    for (var i = 1; i <= runs; i++)
    {
        var (active, ready) = (await CloudsFor($"single-{i}"))[0];
        single.Add((active, ready, (await Plain(1))[0]));
        Console.Error.WriteLine($"run {i}/{runs}: CloudsFor active {active:F2} s, ready {ready:F2} s; plain QEMU ready {single[^1].Plain:F2} s");
    }
    together = await CloudsFor("parallel-1", "parallel-2", "parallel-3", "parallel-4");
    plainTogether = await Plain(4);
    accelerator = Regex.Match(server.Log, "accelerator (\\w+)") is { Success: true } m ? m.Groups[1].Value : "unknown";
    commandLine = plain.CommandLine.Replace(work, "$WORK", StringComparison.Ordinal).Replace(warm[0], "$ID", StringComparison.Ordinal);
}
finally
{
    QemuCommand.KillUnder(work);
    Directory.Delete(work, recursive: true);
}

var text = new StringBuilder();
text.AppendLine($"Boots of the tiny image (accelerator: {accelerator}), seconds: CloudsFor from POST /vms, plain QEMU from starting the process;");
text.AppendLine("\"active\" from the event stream, \"ready\" when the console (CloudsFor: through the API; plain: the serial log) shows `cloudsfor: ready`, looked at every 0.1 s.");
text.AppendLine($"{Environment.ProcessorCount} cores; load average {loadBefore} before, {Program.Load()} after; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
text.AppendLine();
text.AppendLine("| scenario | CloudsFor to active | CloudsFor to ready | plain QEMU to ready | CloudsFor ready / plain ready | CloudsFor active / plain ready |");
text.AppendLine("|---|---|---|---|---|---|");
Row($"1 VM at a time, median of {runs}", Median(single.Select(s => s.Active)), Median(single.Select(s => s.Ready)), Median(single.Select(s => s.Plain)));
Row("4 at once, median of the 4", Median(together.Select(t => t.Active)), Median(together.Select(t => t.Ready)), Median(plainTogether));
Row("4 at once, the last of the 4", together.Max(t => t.Active), together.Max(t => t.Ready), plainTogether.Max());
text.AppendLine();
text.AppendLine("Plain QEMU runs the command line CloudsFor started its VM with (below), each run with its own overlay on the same base image,");
text.AppendLine("a copy of the seed disk, its own monitor, serial log and forwarded ports, and a socket that drops the private NIC's frames in place of the region switch.");
text.AppendLine();
text.AppendLine("```");
text.AppendLine(commandLine);
text.AppendLine("```");
Console.Write(text);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
File.WriteAllText(report, text.ToString());
return 0;

void Row(string scenario, double active, double ready, double plainReady) =>
    text.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario} | {active:F2} | {ready:F2} | {plainReady:F2} | {ready / plainReady:F2} | {active / plainReady:F2} |"));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

partial class Program
{
    public const string ReadyLine = "cloudsfor: ready";

    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
