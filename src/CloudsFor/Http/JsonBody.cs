using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudsFor.Http;

/// <summary>
/// A request's JSON object, read once with the contract's checks (415, 413, 400 with the
/// position), and read field by field: type mistakes, missing fields and values a handler
/// rejects are collected and thrown together as one 422 naming each field.
/// </summary>
public sealed class JsonBody
{
    public const int MaxBytes = 1 << 20;
    const int MaxDepth = 32;

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
                new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiError.BadRequest($"The request body must be a JSON object, not {Describe(doc.RootElement.ValueKind)}.");
            if (FirstUnpairedSurrogate(doc.RootElement) is { } where)
                throw ApiError.BadRequest($"The request body has text that is not valid Unicode in {where} (bytes that are not UTF-8, or an escaped lone surrogate \\uD800-\\uDFFF).");
            return new JsonBody(doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            throw ApiError.BadRequest($"Malformed JSON{where}: {Explain(e.Message)}.");
        }
    }

    /// <summary>
    /// The parser accepts escapes like "\ud800" and bytes that are not UTF-8, which decode to no valid text; reading
    /// them later would throw, so they are found once here and refused as bad input. Returns where, or null.
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

    /// <summary>
    /// The reader's complaint in our words: its own messages end in advice for .NET programmers ("Change the
    /// reader options."). The reader gives no code, only text, so its messages are matched; one not known here
    /// is still told in our words, less precisely. The offending character comes as 'c', or '0xHH' when unprintable.
    /// </summary>
    static string Explain(string message)
    {
        foreach (var (pattern, explain) in ReaderErrors)
            if (pattern.Match(message) is { Success: true } match)
                return explain(match.Groups.Count > 1 ? Shown(match.Groups[1].Value) : "");
        return "this is not valid JSON";
    }

    static string Shown(string c) => c.StartsWith("0x", StringComparison.Ordinal) && c.Length == 4 ? $"the byte {c}" : $"'{c}'";

    static readonly (Regex, Func<string, string>)[] ReaderErrors =
    [
        (new("^'/' is (an )?invalid"), _ => "comments are not allowed in JSON"),
        (new("^'(.+?)' is an invalid start of a value"), c => $"expected a value (a string in double quotes, a number, true, false, null, an object or an array), found {c}"),
        (new("^'(.+?)' is an invalid JSON literal. Expected the literal '(true|false|null)'"), c => $"expected true, false or null (lowercase, without quotes), found {c}"),
        (new("^'(.+?)' is invalid after a single JSON value"), c => $"found {c} after the end of the JSON value: the body must hold one object only"),
        // At the end of the body the reader blames the number's last digit.
        (new("^'[0-9]' is an invalid end of a number"), _ => "the body ends before every object and array in it is closed"),
        (new("^'(.+?)' is an invalid end of a number"), c => $"found {c} right after a number"),
        (new("^'(.+?)' is invalid within a number, immediately after a decimal point"), c => $"a number needs a digit after its decimal point, found {c}"),
        (new("^'(.+?)' is invalid within a number, immediately after a sign"), c => $"a number needs a digit after its sign, found {c}"),
        (new("^Expected a digit"), _ => "the body ends inside a number"),
        (new("^Invalid leading zero before '(.+?)'"), _ => "a number cannot start with 0 followed by more digits"),
        (new("^'(.+?)' is invalid (after|following) a property name"), c => $"expected ':' after a field name, found {c}"),
        (new("^'(.+?)' is an invalid start of a property name\\. Expected"), c => $"expected a field name in double quotes, found {c}"),
        (new("^'(.+?)' is invalid after a value"), c => $"expected ',' or the end of the object or array after a value, found {c}"),
        (new("^'(.+?)' is an invalid escapable character"), c => $"a backslash in a string is followed by {c}, which is no escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)"),
        (new("^'(.+?)' is not a hex digit following"), c => $"\\u in a string must be followed by four hex digits, found {c}"),
        (new("^'(.+?)' is invalid within a JSON string"), c => $"{c} must be escaped inside a string (\\n for a line break, \\t for a tab, \\uXXXX for other control characters)"),
        (new("^Expected end of string"), _ => "the body ends inside a string: its closing \" is missing"),
        (new("^Expected (a value|start of a property name or value), but instead reached end of data"), _ => "the body ends where a value should be"),
        (new("^Expected depth to be zero"), _ => "the body ends before every object and array in it is closed"),
        (new("^'(.+?)' is invalid without a matching open"), c => $"{c} closes an object or array that is not open"),
        (new("^The maximum configured depth of \\d+ has been exceeded"), _ => $"objects and arrays are nested more than {MaxDepth} deep"),
        (new("^The JSON array contains a trailing comma"), _ => "a comma stands before the closing ']': JSON allows no trailing comma"),
        (new("^The JSON object contains a trailing comma"), _ => "a comma stands before the closing '}': JSON allows no trailing comma"),
        (new("^Duplicate property '(.+?)'"), c => $"the field {c} appears twice in one object"),
        (new("^Duplicate properties"), _ => "a field appears twice in one object"),
        (new("^The input does not contain any"), _ => "the body holds no JSON value"),
        (new("comment", RegexOptions.IgnoreCase), _ => "comments are not allowed in JSON"),
    ];

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

    /// <summary>An array of objects, which the handler reads item by item (a batch, like the resources to tag).</summary>
    public List<JsonElement>? Objects(string field, bool required = false, int maxItems = 100)
    {
        if (!Present(field, required, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Object))
            return Fail<List<JsonElement>>(field, "must be an array of objects");
        if (value.GetArrayLength() > maxItems)
            return Fail<List<JsonElement>>(field, $"must hold at most {maxItems} items");
        return value.EnumerateArray().ToList();
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
