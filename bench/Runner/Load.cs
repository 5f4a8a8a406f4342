using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CloudsFor.Bench;

/// <summary>
/// What one load run measured. Latencies in milliseconds; Errors counts unexpected statuses and socket errors;
/// Refused, the power actions the server refused as documented (409 locked, then 422 not in the state for it).
/// </summary>
public sealed record Measured(long Requests, double Seconds, double P50, double P99, double Max, long Errors, long Refused = 0)
{
    public double Rps => Requests / Seconds;
}

/// <summary>
/// One kind of request under load: every path is sent in turn (each wrk thread takes its own share);
/// Power alternates power_off/power_on bodies by pass, starting with each path's first type. A mixed workload (WriteEvery N)
/// sends every Nth request as a POST of WriteBody to WritePath instead, whose answer is WriteExpected.
/// </summary>
public sealed record Workload(string Method, IReadOnlyList<string> Paths, string? Auth, string? Body = null, bool Power = false, int Expected = 200,
    int WriteEvery = 0, string? WritePath = null, string? WriteBody = null, int WriteExpected = 202);

/// <summary>Drives a workload with wrk (Lua script bench/wrk/api.lua), or with hey for HEAD, which wrk 4.1 cannot read.</summary>
public static class Load
{
    public static async Task<Measured> Run(string origin, Workload work, int connections, TimeSpan duration, string luaScript)
    {
        var threads = Math.Min(connections, Environment.ProcessorCount);
        var pathsFile = Path.GetTempFileName();
        await File.WriteAllLinesAsync(pathsFile, work.Paths);
        try
        {
            return work.Method == "HEAD"
                ? await Hey(origin, work, connections, duration)
                : await Wrk(origin, work, connections, threads, duration, luaScript, pathsFile);
        }
        finally
        {
            File.Delete(pathsFile);
        }
    }

    static async Task<Measured> Wrk(string origin, Workload work, int connections, int threads, TimeSpan duration, string lua, string pathsFile)
    {
        var env = new Dictionary<string, string>
        {
            ["CF_METHOD"] = work.Method, ["CF_PATHS"] = pathsFile, ["CF_THREADS"] = threads.ToString(),
            ["CF_AUTH"] = work.Auth ?? "", ["CF_BODY"] = work.Body ?? "", ["CF_POWER"] = work.Power ? "1" : "0",
            ["CF_EXPECTED"] = work.Expected.ToString(),
            ["CF_WRITE_EVERY"] = work.WriteEvery.ToString(), ["CF_WRITE_PATH"] = work.WritePath ?? "", ["CF_WRITE_BODY"] = work.WriteBody ?? "",
            ["CF_WRITE_EXPECTED"] = work.WriteExpected.ToString(),
        };
        var text = await Exec("wrk", ["-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{duration.TotalSeconds:0}s",
            "--timeout", "10s", "-s", lua, origin], env);
        if (Environment.GetEnvironmentVariable("CF_DEBUG") == "1")
            Console.WriteLine(text);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("CF_RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no result:\n" + text);
        var r = JsonDocument.Parse(line["CF_RESULT ".Length..]).RootElement;
        long L(string name) => r.GetProperty(name).GetInt64();
        var requests = L("requests");
        var sockets = L("connect") + L("read") + L("write") + L("timeout");
        return new Measured(requests, L("duration_us") / 1e6, L("p50_us") / 1000.0, L("p99_us") / 1000.0, L("max_us") / 1000.0,
            sockets + L("unexpected"), L("refused"));
    }

    static async Task<Measured> Hey(string origin, Workload work, int connections, TimeSpan duration)
    {
        var args = new List<string> { "-z", $"{duration.TotalSeconds:0}s", "-c", connections.ToString(), "-m", work.Method, "-o", "csv" };
        if (work.Auth is not null)
            args.AddRange(["-H", "Authorization: " + work.Auth]);
        args.Add(origin + work.Paths[0]);
        var clock = Stopwatch.StartNew();
        var text = await Exec("hey", args, new Dictionary<string, string>());
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = text.Split('\n').Skip(1).Select(l => l.Split(',')).Where(f => f.Length >= 8).ToList();
        var latencies = rows.Select(f => double.Parse(f[0], CultureInfo.InvariantCulture) * 1000).Order().ToArray();
        var errors = rows.Count(f => f[6] != work.Expected.ToString());
        if (latencies.Length == 0)
            return new Measured(0, seconds, 0, 0, 0, 0);
        double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return new Measured(latencies.Length, Math.Min(seconds, duration.TotalSeconds), At(0.5), At(0.99), latencies[^1], errors);
    }

    internal static async Task<string> Exec(string file, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }
}
