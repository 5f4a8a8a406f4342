using System.Globalization;

namespace CloudsFor.Model;

/// <summary>
/// Time as stored (fixed-width, so text order is time order) and as shown (RFC 3339, seconds).
/// </summary>
public static class Clock
{
    public static string Stored(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Shown(string? stored) => stored is null ? null : stored[..19] + "Z";
}
