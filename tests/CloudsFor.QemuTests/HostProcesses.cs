namespace CloudsFor.QemuTests;

/// <summary>
/// The processes of a test's data folder, found by their command lines naming it: the server and what it
/// started (QEMU). VMs outlive the server, so tests look for them directly.
/// </summary>
public static class HostProcesses
{
    public static IReadOnlyList<(int Pid, string CommandLine)> Under(string dataDir)
    {
        var found = new List<(int, string)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string cmd;
            try { cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
            catch (IOException) { continue; }
            if (cmd.Contains(dataDir, StringComparison.Ordinal))
                found.Add((pid, cmd));
        }
        return found;
    }

    public static IReadOnlyList<int> Qemu(string dataDir) =>
        Under(dataDir).Where(p => p.CommandLine.StartsWith("qemu-system", StringComparison.Ordinal)).Select(p => p.Pid).Order().ToList();

    public static IReadOnlyList<int> QemuOf(string dataDir, string vmId) =>
        Under(dataDir).Where(p => p.CommandLine.StartsWith("qemu-system", StringComparison.Ordinal) && p.CommandLine.Contains("cf-" + vmId, StringComparison.Ordinal))
            .Select(p => p.Pid).ToList();

    public static void KillAll(string dataDir)
    {
        foreach (var (pid, _) in Under(dataDir))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }
}
