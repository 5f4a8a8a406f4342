namespace CloudsFor.Compute.Simulated;

/// <summary>
/// The simulated driver's knobs: how long each operation takes (a random delay between Min and
/// Max milliseconds) and which operations fail (by name, or at random with FailRate 0..1).
/// </summary>
public sealed record SimulatedSettings(int MinDelayMs = 100, int MaxDelayMs = 500, IReadOnlySet<string>? FailOperations = null, double FailRate = 0)
{
    /// <summary>The names the driver's operations go by (SimulatedDriver.Work).</summary>
    public static readonly string[] Operations =
        ["create", "power_on", "power_off", "shutdown", "reboot", "power_cycle", "resize", "rebuild", "snapshot", "destroy",
         "volume_create", "volume_attach", "volume_detach", "volume_resize", "volume_destroy"];

    /// <summary>A comma-separated list of operations; a name no operation has would never fail anything, so it is refused.</summary>
    public static IReadOnlySet<string> ParseFailOperations(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = names.Where(n => !Operations.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new FormatException($"--sim-fail: {string.Join(", ", unknown.Select(n => $"'{n}'"))} is not an operation ({string.Join(", ", Operations)})");
        return names;
    }

    public static int[] ParseDelay(string text)
    {
        var parts = text.Split('-', 2);
        if (!int.TryParse(parts[0], out var min) || min < 0 || min > 600_000)
            throw new FormatException($"'{text}' is not a delay in ms: N or MIN-MAX");
        var max = min;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out max) || max < min || max > 600_000))
            throw new FormatException($"'{text}' is not a delay in ms: N or MIN-MAX");
        return [min, max];
    }
}
