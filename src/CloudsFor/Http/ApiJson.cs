using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudsFor.Http;

/// <summary>The API's JSON: snake_case names, nulls kept where a record declares them.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static byte[] Bytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);
}
