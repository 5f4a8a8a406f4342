namespace CloudsFor.Bench.BootTiming;

/// <summary>QEMU processes found through /proc: their pid and their arguments exactly as they were started.</summary>
static class QemuCommand
{
    /// <summary>The first qemu-system process whose arguments contain <paramref name="marker"/>.</summary>
    public static (int Pid, string[] Args)? Find(string marker) => All().Cast<(int, string[])?>()
        .FirstOrDefault(p => p!.Value.Item2.Any(a => a.Contains(marker, StringComparison.Ordinal)));

    public static IEnumerable<(int Pid, string[] Args)> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue; // it ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var args = text.TrimEnd('\0').Split('\0');
            if (args.Length > 0 && Path.GetFileName(args[0]).StartsWith("qemu-system", StringComparison.Ordinal))
                yield return (pid, args);
        }
    }

    /// <summary>Kills every QEMU process whose arguments mention <paramref name="path"/>: what a failed run left behind.</summary>
    public static void KillUnder(string path)
    {
        foreach (var (pid, args) in All().ToList())
            if (args.Any(a => a.Contains(path, StringComparison.Ordinal)))
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // already gone
                }
    }
}
