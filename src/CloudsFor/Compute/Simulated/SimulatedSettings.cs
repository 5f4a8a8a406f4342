namespace CloudsFor.Compute.Simulated;

/// <summary>
/// The simulated driver's knobs: how long each operation takes (a random delay between Min and
/// Max milliseconds) and which operations fail (by name, or at random with FailRate 0..1).
/// </summary>
public sealed record SimulatedSettings(int MinDelayMs = 100, int MaxDelayMs = 500, IReadOnlySet<string>? FailOperations = null, double FailRate = 0)
{
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
