using System.Diagnostics;
using System.Text;

namespace CloudsFor.Bench;

/// <summary>A process the benchmark started (the server or the ceiling): ready when it prints its line, killed at the end.</summary>
public sealed class Child : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    Child(Process process) => this.process = process;

    public int Pid => process.Id;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Starts it and waits for <paramref name="readyLine"/> (null: returns once started, for a program that prints none).</summary>
    public static async Task<Child> Start(string file, IEnumerable<string> args, string? readyLine, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSFOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var child = new Child(new Process { StartInfo = start, EnableRaisingEvents = true });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            child.Append(e.Data);
            if (readyLine is not null && e.Data.Contains(readyLine, StringComparison.Ordinal)) ready.TrySetResult();
        };
        child.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.Append(e.Data); };
        child.process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"{file} exited before it was ready:\n{child.Output}"));
        child.process.Start();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        if (readyLine is null)
            ready.TrySetResult();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
        return child;
    }

    /// <summary>CPU time the process used so far (user and system), from /proc.</summary>
    public TimeSpan CpuTime()
    {
        var fields = File.ReadAllText($"/proc/{Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0); // utime, stime in clock ticks
    }

    /// <summary>The share of one core the process uses while nothing is asked of it, over <paramref name="period"/>.</summary>
    public async Task<double> IdleCpu(TimeSpan period)
    {
        var before = CpuTime();
        await Task.Delay(period);
        return (CpuTime() - before) / period;
    }

    /// <summary>Waits until the process is (nearly) idle, e.g. after a start that reads every VM's state; at most a minute.</summary>
    public async Task Settle()
    {
        for (var i = 0; i < 60 && await IdleCpu(TimeSpan.FromSeconds(1)) > 0.1; i++)
        {
        }
    }

    /// <summary>Resident memory from /proc, in MiB.</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return 0;
    }

    void Append(string line)
    {
        lock (output)
        {
            // Keep the tail only: a long run must not hold every log line.
            if (output.Length > 1 << 20) output.Remove(0, output.Length / 2);
            output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
