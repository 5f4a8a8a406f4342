using System.Reflection;
using System.Text.Json;

namespace CloudsFor.Http;

/// <summary>
/// A request's JSON object, read once with the contract's checks (415, 413, 400 with the
/// position), and read field by field: type mistakes, missing fields and values a handler
/// rejects are collected and thrown together as one 422 naming each field.
/// </summary>
public sealed class JsonBody
{
    public const int MaxBytes = 1 << 20;

    readonly JsonElement root;
    readonly List<FieldError> errors = [];

    JsonBody(JsonElement root) => this.root = root;

    /// <summary>Lets a handler take the body as a parameter.</summary>
    public static async ValueTask<JsonBody> BindAsync(HttpContext ctx, ParameterInfo _) => await ReadAsync(ctx);

    public static async Task<JsonBody> ReadAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        if (!IsJson(request.ContentType))
            throw ApiError.UnsupportedMediaType();
        if (request.ContentLength > MaxBytes)
            throw ApiError.PayloadTooLarge();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length > MaxBytes)
            throw ApiError.PayloadTooLarge();
        if (buffer.Length == 0)
            throw ApiError.BadRequest("The request body is empty; send a JSON object.");
        try
        {
            using var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiError.BadRequest($"The request body must be a JSON object, not {Describe(doc.RootElement.ValueKind)}.");
            if (FirstUnpairedSurrogate(doc.RootElement) is { } where)
                throw ApiError.BadRequest($"The request body has an escaped lone surrogate (\\uD800-\\uDFFF without its pair) in {where}; JSON text must be valid Unicode.");
            return new JsonBody(doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            throw ApiError.BadRequest($"Malformed JSON{where}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>
    /// The parser accepts escapes like "\ud800" that decode to no valid text; reading them later
    /// would throw, so they are found once here and refused as bad input. Returns where, or null.
    /// </summary>
    static string? FirstUnpairedSurrogate(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try { element.GetString(); return null; }
                catch (InvalidOperationException) { return path; }
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return path + " (a field name)"; }
                    if (FirstUnpairedSurrogate(property.Value, path + "." + name) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    if (FirstUnpairedSurrogate(item, $"{path}[{index++}]") is { } found)
                        return found;
                return null;
            default:
                return null;
        }
    }

    static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    static string FirstSentence(string message)
    {
        // The parser appends its own position and path; ours, counted from 1, is already in front.
        foreach (var tail in new[] { " LineNumber:", " Path:" })
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        return message.TrimEnd();
    }

    /// <summary>
    /// Refuses every field a client may not set here: read-only ones by that name, the rest as unknown.
    /// Mass assignment is impossible because nothing outside <paramref name="writable"/> is read.
    /// </summary>
    public JsonBody Allow(string[] writable, params string[] readOnly)
    {
        var refused = new List<FieldError>();
        foreach (var property in root.EnumerateObject())
        {
            if (writable.Contains(property.Name))
                continue;
            refused.Add(new FieldError(property.Name, readOnly.Contains(property.Name)
                ? "is read-only and cannot be set"
                : "is not a known field here"));
        }
        if (refused.Count > 0)
            throw ApiError.Invalid(refused);
        return this;
    }

    public bool Has(string field) => root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string field. Control characters are refused (a NUL or an escape sequence in a name ends up in logs,
    /// terminals and zone files); <paramref name="multiline"/> text (user data, descriptions) may hold tabs and line breaks.</summary>
    public string? String(string field, bool required = false, int maxLength = 255, bool multiline = false)
    {
        if (!Present(field, required, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            return Fail<string>(field, "must be a string");
        var text = value.GetString()!;
        if (text.Length > maxLength)
            return Fail<string>(field, $"must be at most {maxLength} characters");
        if (HasControlCharacter(text, multiline))
            return Fail<string>(field, multiline ? "must not hold control characters other than tabs and line breaks" : "must not hold control characters");
        if (required && text.Length == 0)
            return Fail<string>(field, "must not be empty");
        return text;
    }

    public bool? Bool(string field, bool required = false)
    {
        if (!Present(field, required, out var value))
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Error(field, "must be true or false");
        return null;
    }

    public long? Integer(string field, long min, long max, bool required = false)
    {
        if (!Present(field, required, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Error(field, "must be a whole number");
            return null;
        }
        if (number < min || number > max)
        {
            Error(field, $"must be between {min} and {max}");
            return null;
        }
        return number;
    }

    /// <summary>An array of strings; numbers are accepted too and read as their text (ids, fingerprints).</summary>
    public List<string>? Strings(string field, bool required = false, int maxItems = 100, int maxLength = 255)
    {
        if (!Present(field, required, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            return Fail<List<string>>(field, "must be an array of strings");
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Number => item.GetRawText(),
                _ => null,
            };
            if (text is null || text.Length == 0 || text.Length > maxLength || HasControlCharacter(text, multiline: false))
                return Fail<List<string>>(field, $"must hold only non-empty strings of at most {maxLength} characters, without control characters");
            items.Add(text);
        }
        if (items.Count > maxItems)
            return Fail<List<string>>(field, $"must hold at most {maxItems} items");
        return items;
    }

    static bool HasControlCharacter(string text, bool multiline)
    {
        foreach (var c in text)
            if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
                return true;
        return false;
    }

    public void Error(string field, string message) => errors.Add(new FieldError(field, message));

    /// <summary>Ends the reading: throws one 422 with every field error collected.</summary>
    public void ThrowIfInvalid()
    {
        if (errors.Count > 0)
            throw ApiError.Invalid(errors);
    }

    bool Present(string field, bool required, out JsonElement value)
    {
        if (root.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        if (required)
            Error(field, "is required");
        return false;
    }

    T? Fail<T>(string field, string message) where T : class
    {
        Error(field, message);
        return null;
    }

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
