using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudsFor.Bench;

/// <summary>
/// What one HTTP/2 run measured. h2load gives no percentiles: the request times are its mean, standard deviation and
/// maximum, in milliseconds. Errors: answers that were not 2xx, and requests that got no answer (reset, timed out).
/// Statuses: h2load's count per status class, to say what went wrong when Errors is not 0.
/// </summary>
public sealed record H2Measured(long Requests, double Seconds, double Mean, double Sd, double Max, long Errors, string Statuses)
{
    public double Rps => Requests / Seconds;
    /// <summary>No request at all counts as failed too: h2load does not count a connection it could not open as a request.</summary>
    public bool Failed => Errors > 0 || Requests == 0;
}

/// <summary>Drives a workload over HTTP/2 (TLS, ALPN h2) with h2load, from nghttp2.</summary>
public static partial class H2Load
{
    /// <summary>
    /// The workloads h2load can send as they are: a GET over a list of paths, or a POST of one body. Left out: HEAD (h2load
    /// sends only GET, or POST with -d), the power actions and the mixed workload (one body, one method for the whole run),
    /// and expected answers outside 2xx (h2load counts statuses by class, and any other class is a failure here).
    /// </summary>
    public static bool Fits(Workload w) =>
        ((w.Method == "GET" && w.WriteEvery == 0) || (w.Method == "POST" && !w.Power)) && w.Expected is >= 200 and < 300;

    /// <summary>
    /// <paramref name="streams"/> requests in flight per connection at most. Every connection sends the paths in the
    /// file's order (h2load's way; wrk's script splits them between threads), so each still goes over all of them in turn.
    /// A body's "{n}" becomes "h2": every POST of the run sends the same bytes (VM names need not be unique).
    /// </summary>
    public static async Task<H2Measured> Run(string origin, Workload work, int connections, int streams, TimeSpan duration)
    {
        var uris = Path.GetTempFileName();
        var body = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(uris, work.Paths.Select(p => origin + p));
            var args = new List<string>
            {
                "-t", Math.Min(connections, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-c", connections.ToString(CultureInfo.InvariantCulture), "-m", streams.ToString(CultureInfo.InvariantCulture),
                "-D", duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
                // h2 only: without it h2load would fall back to HTTP/1.1 if the server stopped offering h2, and measure that.
                "--npn-list=h2", "-N", "10", "-i", uris,
            };
            if (work.Auth is not null)
                args.AddRange(["-H", "authorization: " + work.Auth]);
            if (work.Method == "POST")
            {
                await File.WriteAllTextAsync(body, (work.Body ?? "").Replace("{n}", "h2", StringComparison.Ordinal));
                args.AddRange(["-d", body, "-H", "content-type: application/json"]);
            }
            var text = await Load.Exec("h2load", args, new Dictionary<string, string>());
            if (Environment.GetEnvironmentVariable("CF_DEBUG") == "1")
                Console.WriteLine(text);
            return Parse(text);
        }
        finally
        {
            File.Delete(uris);
            File.Delete(body);
        }
    }

    static H2Measured Parse(string text)
    {
        Match Find(Regex pattern) => pattern.Match(text) is { Success: true } m ? m : throw new InvalidOperationException($"h2load printed no '{pattern}':\n{text}");
        var protocol = Find(Protocol()).Groups[1].Value;
        if (protocol != "h2")
            throw new InvalidOperationException($"h2load negotiated {protocol}, not h2:\n{text}");
        var finished = Find(Finished());
        var requests = Find(Requests());
        var statuses = Find(Statuses());
        var times = Find(RequestTimes());
        long L(Match m, int group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var done = L(requests, 1);
        var ok = L(statuses, 1);
        // "done" counts every request that ended, answered or not: "errored" ones (reset, timed out) are among them without a status.
        return new H2Measured(done, Seconds(finished.Groups[1].Value), 1000 * Seconds(times.Groups[3].Value), 1000 * Seconds(times.Groups[4].Value),
            1000 * Seconds(times.Groups[2].Value), done - ok,
            $"{ok} 2xx, {L(statuses, 2)} 3xx, {L(statuses, 3)} 4xx, {L(statuses, 4)} 5xx, {L(requests, 2)} errored, {L(requests, 3)} timed out");
    }

    /// <summary>h2load's times: "310us", "2.99ms", "1.02s".</summary>
    static double Seconds(string value)
    {
        var unit = value.TrimStart("0123456789.".ToCharArray());
        var number = double.Parse(value[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "s" => number,
            "ms" => number / 1e3,
            "us" => number / 1e6,
            _ => throw new InvalidOperationException($"h2load time '{value}' has an unknown unit"),
        };
    }

    [GeneratedRegex(@"Application protocol: (\S+)")]
    private static partial Regex Protocol();

    [GeneratedRegex(@"^finished in ([\d.]+\w+),", RegexOptions.Multiline)]
    private static partial Regex Finished();

    [GeneratedRegex(@"^requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, \d+ failed, (\d+) errored, (\d+) timeout", RegexOptions.Multiline)]
    private static partial Regex Requests();

    [GeneratedRegex(@"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", RegexOptions.Multiline)]
    private static partial Regex Statuses();

    // min, max, mean, sd
    [GeneratedRegex(@"^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestTimes();
}
