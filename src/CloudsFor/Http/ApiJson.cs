using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudsFor.Api;

namespace CloudsFor.Http;

/// <summary>The API's JSON: snake_case names, nulls kept where a record declares them.</summary>
public static class ApiJson
{
    static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static readonly JsonSerializerOptions Options = new(Plain)
    {
        Converters = { new WrittenOnce<RegionView>(), new WrittenOnce<SizeView>(), new RawJsonWriter() },
    };

    public static byte[] Bytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    sealed class RawJsonWriter : JsonConverter<RawJson>
    {
        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8, skipInputValidation: true);

        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("RawJson is only written");
    }

    /// <summary>
    /// Objects that never change once made (the catalog's views) are serialized once and their bytes
    /// reused: a page of VMs repeats its region and size twenty times.
    /// </summary>
    sealed class WrittenOnce<T> : JsonConverter<T> where T : class
    {
        readonly ConditionalWeakTable<T, byte[]> written = new();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteRawValue(written.GetValue(value, v => JsonSerializer.SerializeToUtf8Bytes(v, Plain)), skipInputValidation: true);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"{typeof(T).Name} is only written");
    }
}

/// <summary>A value already written as JSON by <see cref="ApiJson"/> (a cached rendering): written into a body as it is.</summary>
public sealed record RawJson(byte[] Utf8);
