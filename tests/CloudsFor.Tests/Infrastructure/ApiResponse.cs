using System.Net;
using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>One answer of the API: status, every header (response and content headers together) and the body.</summary>
public sealed class ApiResponse
{
    readonly Dictionary<string, string[]> headers;

    public ApiResponse(HttpResponseMessage message, string text)
    {
        Status = (int)message.StatusCode;
        Text = text;
        headers = message.Headers.Concat(message.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.SelectMany(h => h.Value).ToArray(), StringComparer.OrdinalIgnoreCase);
        if (text.Length > 0 && (Header("Content-Type") ?? "").Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                Json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Left undefined; tests that expect JSON fail on Json.ValueKind with the text in the message.
            }
        }
    }

    public int Status { get; }
    public string Text { get; }

    /// <summary>The parsed body, or an Undefined element when there was no JSON body.</summary>
    public JsonElement Json { get; }

    public IReadOnlyDictionary<string, string[]> Headers => headers;

    public string? Header(string name) => headers.TryGetValue(name, out var values) ? string.Join(", ", values) : null;

    public JsonElement this[string property] => Json.GetProperty(property);

    /// <summary>Fails with the whole answer when the status is not the expected one, so a failure explains itself.</summary>
    public ApiResponse Expect(int status)
    {
        if (Status != status)
            Assert.Fail($"expected HTTP {status} but got {Status}: {Text}");
        return this;
    }

    public ApiResponse Expect(HttpStatusCode status) => Expect((int)status);

    /// <summary>Asserts the contract's error body: the status, its id, a message, and the request id of this response.</summary>
    public ApiResponse ExpectError(int status, string id)
    {
        Expect(status);
        Assert.Equal(JsonValueKind.Object, Json.ValueKind);
        Assert.Equal(id, Json.GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(Json.GetProperty("message").GetString()), "error message is empty");
        Assert.Equal(Header("X-Request-Id"), Json.GetProperty("request_id").GetString());
        return this;
    }

    /// <summary>The fields named by a 422's errors[].</summary>
    public IReadOnlyList<string> ErrorFields() =>
        Json.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToList()
            : [];

    public string Message => Json.GetProperty("message").GetString()!;

    public override string ToString() => $"HTTP {Status} {Text}";
}
