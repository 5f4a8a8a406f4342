namespace CloudsFor.Compute;

public static class ConsoleLog
{
    /// <summary>The last lines of a log file, reading only its end (serial logs grow without bound).</summary>
    public static string Tail(string path, int lines)
    {
        if (!File.Exists(path))
            return "";
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var window = Math.Min(file.Length, Math.Max(4096, lines * 256L));
        file.Seek(-window, SeekOrigin.End);
        var text = new StreamReader(file).ReadToEnd().Replace("\r", "");
        var all = text.Split('\n');
        if (window < file.Length)
            all = all[1..]; // the first line was cut by the window
        if (all.Length > 0 && all[^1].Length == 0)
            all = all[..^1];
        return string.Join('\n', all.TakeLast(lines)) + (all.Length > 0 ? "\n" : "");
    }
}
