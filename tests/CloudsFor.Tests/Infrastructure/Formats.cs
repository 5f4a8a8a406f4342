using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>The contract's identity formats: 32 lowercase hex ids and RFC 3339 UTC times.</summary>
public static class Formats
{
    public const string IdPattern = "^[0-9a-f]{32}$";
    public const string TimePattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$";

    public static void AssertId(JsonElement value) => Assert.Matches(IdPattern, value.GetString());

    public static void AssertTime(JsonElement value) => Assert.Matches(TimePattern, value.GetString());

    public static DateTimeOffset Time(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public static string RandomId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}
