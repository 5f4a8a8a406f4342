namespace CloudsFor.Bench;

/// <summary>
/// The CPU time the hypervisor gave to other guests while this one wanted it ("steal", the eighth figure of the cpu line
/// in /proc/stat). On a shared host the same build's figures move with it: a run taken while it was high says less
/// about the code.
/// </summary>
public static class HostSteal
{
    public readonly record struct Sample(long Steal, long Total);

    public static Sample Read()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user, nice, system, idle, iowait, irq, softirq, steal, then guest time (already counted in user).
        return new Sample(ticks.Length > 7 ? ticks[7] : 0, ticks.Take(8).Sum());
    }

    /// <summary>Steal between two samples as a share of all the machine's CPU time then, in percent.</summary>
    public static double Percent(Sample from, Sample to) => (to.Steal - from.Steal) * 100.0 / Math.Max(1, to.Total - from.Total);
}
