using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudsFor.Cli.Commands;
using CloudsFor.Cli.Config;
using CloudsFor.Client.Models;

namespace CloudsFor.Cli;

/// <summary>
/// `-o json` writes the client's models back in the API's own shape (snake_case names, nulls kept, times as the server
/// writes them), and the config file is read and written here too. Source-generated like the client's JSON.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    Converters = [typeof(ApiTimeConverter)])]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<User>))]
[JsonSerializable(typeof(ApiToken))]
[JsonSerializable(typeof(List<ApiToken>))]
[JsonSerializable(typeof(SshKey))]
[JsonSerializable(typeof(List<SshKey>))]
[JsonSerializable(typeof(Tag))]
[JsonSerializable(typeof(List<Tag>))]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(List<Volume>))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(List<Snapshot>))]
[JsonSerializable(typeof(Region))]
[JsonSerializable(typeof(List<Region>))]
[JsonSerializable(typeof(Size))]
[JsonSerializable(typeof(List<Size>))]
[JsonSerializable(typeof(Image))]
[JsonSerializable(typeof(List<Image>))]
[JsonSerializable(typeof(Vm))]
[JsonSerializable(typeof(List<Vm>))]
[JsonSerializable(typeof(VmConsole))]
[JsonSerializable(typeof(CloudAction))]
[JsonSerializable(typeof(List<CloudAction>))]
[JsonSerializable(typeof(Domain))]
[JsonSerializable(typeof(List<Domain>))]
[JsonSerializable(typeof(DomainRecord))]
[JsonSerializable(typeof(List<DomainRecord>))]
[JsonSerializable(typeof(List<ContextRow>))]
[JsonSerializable(typeof(CloudEvent))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary>RFC 3339 in UTC to the second, exactly as the API writes times (`2026-11-29T02:17:57Z`).</summary>
internal sealed class ApiTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
