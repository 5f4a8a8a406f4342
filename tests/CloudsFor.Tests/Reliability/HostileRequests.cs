using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// A seeded generator of malformed requests. Every write it builds is invalid somewhere (a wrong type,
/// an unknown field, a bad If-Match, a tag nobody has), so none of them may change anything.
/// The first requests walk every method on every route; the rest are drawn at random by kind.
/// </summary>
public sealed class HostileRequests(Random random, IReadOnlyList<(string Method, string Path)> routes, IReadOnlyDictionary<string, string> ids, TestUser user)
{
    static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "X-NONSENSE"];
    static readonly string[] Fields = ["name", "names", "size", "image", "region", "tags", "type", "scopes", "expires_in_seconds", "disk", "username",
        "password", "email", "vm_limit", "admin", "description", "user_data", "ssh_keys", "ip_address", "data", "priority"];

    static readonly string[] HostileIds =
    [
        "..", "../..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e", "a%2Fb", "a%5Cb", "%00", "x%00y", "%C3%28", "%FF%FE", "%ZZ", "%", "%25",
        "%20", "vm%20id", "'%3B%20DROP%20TABLE%20vms%3B--", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%E2%80%AE", "%F0%9F%92%A9", "null", "undefined",
        "-1", "0", "99999999999999999999999999", "0x1f", "5609F1EE1B0C4D2DA622737B5CA25E6C", "5609f1ee1b0c4d2da622737b5ca25e6", "%0d%0aX-Evil:%201",
        new string('a', 2000), new string('9', 7000),
    ];

    /// <summary>
    /// A field of the wrong type that each write route reads, added to every JSON object body: whatever else the
    /// generator put in, the handler refuses the request (and still checks every other field it finds).
    /// </summary>
    static string Poison(string template) => template switch
    {
        "/vms" => "\"size\":5",
        "/vms/{id}/actions" or "/vms/actions" => "\"type\":5",
        "/tokens" => "\"scopes\":\"read\"",
        "/users" => "\"username\":5",
        _ => "\"name\":5",
    };

    static string Poisoned(string template, IEnumerable<string> fields) => "{" + string.Join(",", fields.Append(Poison(template))) + "}";

    int walked;

    public HostileRequest Next()
    {
        var everyMethodEveryRoute = Methods.Length * routes.Count;
        if (walked < everyMethodEveryRoute)
        {
            var (_, template) = routes[walked % routes.Count];
            var method = Methods[walked++ / routes.Count];
            return ForRoute(method, template, "every-method");
        }
        return random.Next(10) switch
        {
            0 => ForRoute(Pick(Methods), Pick(routes).Path, "route"),
            1 => WithBody("bytes", _ => RandomBytes(random.Next(1, 3000))),
            2 => WithBody("deep", _ => Encoding.UTF8.GetBytes(Deep(random.Next(20, 20000)))),
            3 => WithBody("huge", Huge),
            4 => WithBody("types", t => Encoding.UTF8.GetBytes(WrongTypes(t))),
            5 => WithBody("text", HostileText),
            6 => HostileId(),
            7 => HostileQuery(),
            8 => HostileHeaders(),
            _ => HostileAuth(),
        };
    }

    T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    string Api(string template) => "/api/v1" + Fill(template);

    /// <summary>Path parameters: the account's own objects, another account's, random ids, or hostile strings.</summary>
    string Fill(string template)
    {
        var segments = template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
                continue;
            var kind = i > 0 ? segments[i - 1] : "";
            var own = kind switch
            {
                "vms" => ids["vm"], "actions" => ids["action"], "images" => ids["image"], "tokens" => ids["token"], "users" => ids["user"],
                "domains" => ids["domain"], "records" => ids["record"],
                "regions" => "fra1", "sizes" => Vms.SmallSize, _ => Formats.RandomId(),
            };
            segments[i] = random.Next(3) switch { 0 => own, 1 => Formats.RandomId(), _ => Pick(HostileIds) };
        }
        return string.Join('/', segments);
    }

    HostileRequest ForRoute(string method, string template, string kind)
    {
        var path = Api(template);
        var headers = new List<(string, string)>();
        // A DELETE of a real object must not succeed: a stale If-Match makes it a 412.
        if (method == "DELETE")
            headers.Add(("If-Match", "\"0123456789abcdef0123456789abcdef\""));
        if (template == "/vms" && method == "DELETE" || template == "/vms/actions")
            path += "?tag_name=" + Uri.EscapeDataString("nobody-" + random.Next());
        var body = method is "POST" or "PUT" or "PATCH" || random.Next(4) == 0 ? InvalidBody(template) : null;
        return new HostileRequest(method, path, user.Api.Authorization, body, body is null ? null : ContentType(), headers, kind);
    }

    HostileRequest WithBody(string kind, Func<string, byte[]> bodyFor)
    {
        var (method, template) = Pick(routes.Where(r => r.Method is "POST" or "PUT").ToList());
        var body = bodyFor(template);
        var path = Api(template);
        if (template == "/vms/actions")
            path += "?tag_name=nobody";
        return new HostileRequest(method, path, user.Api.Authorization, body, random.Next(5) == 0 ? ContentType() : "application/json", [], kind);
    }

    byte[] InvalidBody(string template) => random.Next(4) switch
    {
        0 => RandomBytes(random.Next(0, 500)),
        1 => Encoding.UTF8.GetBytes(WrongTypes(template)),
        2 => HostileText(template),
        _ => Encoding.UTF8.GetBytes(Pick(new[] { "[]", "\"text\"", "1", "null", "true", "{", "{\"a\":}", "{\"a\":1,\"a\":2}", "{\"type\":\"power_off\",}", "\uFEFF{}x" })),
    };

    string ContentType() => Pick(new[]
    {
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/jsonx", "application/problem+json", "", ";;;", "application/json; charset=\u00e9",
    });

    byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    string Deep(int depth) => random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>Just over the 1 MiB limit, or under it with an invalid field in thousands.</summary>
    byte[] Huge(string template) => random.Next(2) == 0
        ? Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', (1 << 20) + random.Next(1, 5000)) + "\"}")
        : Encoding.UTF8.GetBytes(Poisoned(template, Enumerable.Range(0, 30000).Select(i => $"\"f{i}\":{i}")));

    /// <summary>Known fields with values of the wrong type (or odd values of the right one).</summary>
    string WrongTypes(string template)
    {
        var wrong = new[] { "5", "-1", "1e400", "123456789012345678901234567890", "true", "null", "[]", "[1,[2]]", "{}", "{\"x\":1}", "\"\"",
            "\"" + new string('x', 300) + "\"", "[\"\"]", "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"t{i}\"")) + "]", "-0", "0.5" };
        var fields = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(Fields)).Distinct().Select(f => $"\"{f}\":{Pick(wrong)}");
        return Poisoned(template, fields);
    }

    /// <summary>Control characters, invalid UTF-8, lone surrogates and the like inside JSON strings.</summary>
    byte[] HostileText(string template)
    {
        var field = Pick(new[] { "name", "description", "tags", "type", "names", "size", "image", "email", "username" });
        var texts = new[]
        {
            "a\u0000b", "\u0001\u0002\u0003", "line\nbreak", "tab\there", "\u007f", "\u202Eevil", "\\ud800", "\\udfff\\ud800", "x\\u0000y", "\u200b",
            "%00", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x}", "'; DROP TABLE vms;--", new string('é', 300),
        };
        var text = Pick(texts);
        var quoted = field is "tags" or "names" ? $"[\"{text}\"]" : $"\"{text}\"";
        var json = Encoding.UTF8.GetBytes(Poisoned(template, [$"\"{field}\":{quoted}"]));
        if (random.Next(3) != 0)
            return json;
        // Raw bytes that are not UTF-8 at all, inside the string.
        var bad = Pick(new[] { new byte[] { 0xC3, 0x28 }, [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80] });
        var at = Array.IndexOf(json, (byte)'"', field.Length + 3) + 1;
        return [.. json[..at], .. bad, .. json[at..]];
    }

    HostileRequest HostileId()
    {
        var template = Pick(routes.Where(r => r.Path.Contains('{')).ToList());
        var path = "/api/v1" + string.Join('/', template.Path.Split('/').Select(s => s.StartsWith('{') ? Pick(HostileIds) : s));
        return new HostileRequest(template.Method == "DELETE" ? "GET" : template.Method, path, user.Api.Authorization,
            template.Method is "POST" or "PUT" ? InvalidBody(template.Path) : null, "application/json", [], "id");
    }

    HostileRequest HostileQuery()
    {
        var template = Pick(routes.Where(r => r.Method == "GET").ToList());
        var values = new[]
        {
            "-1", "0", "201", "1e9", "abc", "%00", "%C3%28", "1%20", "+1", "0x10", "99999999999999999999", "", "%", "%2", new string('9', 5000),
            string.Concat(Enumerable.Repeat("%41", 2500)), "1&page=2&page=3", "1;2", "\u00e9",
        };
        var names = new[] { "page", "per_page", "tag_name", "status", "type", "private", "lines", "name", "region", "resource_type", "x" };
        var query = string.Join('&', Enumerable.Range(0, random.Next(1, 6)).Select(_ => $"{Pick(names)}={Pick(values)}"));
        if (random.Next(20) == 0)
            query = string.Join('&', Enumerable.Range(0, 3000).Select(i => $"p{i}={i}")); // past Kestrel's 8 KiB request line
        return new HostileRequest(random.Next(2) == 0 ? "GET" : "HEAD", Api(template.Path) + "?" + query, user.Api.Authorization, null, null, [], "query");
    }

    HostileRequest HostileHeaders()
    {
        var headers = new List<(string, string)>();
        switch (random.Next(7))
        {
            case 0: headers.Add(("X-Big", new string('x', random.Next(1000, 40000)))); break;
            case 1: headers.AddRange(Enumerable.Range(0, random.Next(50, 300)).Select(i => ($"X-H{i}", new string('y', 100)))); break;
            case 2: headers.Add(("If-None-Match", Pick(new[] { "*", "garbage", "\"", "W/", ",,,", new string('"', 500) }))); break;
            case 3: headers.Add(("Idempotency-Key", Pick(new[] { new string('k', 300), "", " ", "\u00e9\u00e9", new string('k', 255) }))); break;
            case 4: headers.Add(("X-Request-Id", Pick(new[] { new string('r', 5000), "<script>", "a b", "\u00e9", "%0d%0a" }))); break;
            case 5: headers.Add(("Accept", Pick(new[] { "text/html", "application/xml", "*/*;q=abc", "" }))); break;
            default: headers.Add(("Content-Encoding", Pick(new[] { "gzip", "br", "identity", "x" }))); break;
        }
        var (method, template) = Pick(routes);
        var body = method is "POST" or "PUT" ? InvalidBody(template) : null;
        if (method == "DELETE")
            headers.Add(("If-Match", "\"stale\""));
        var path = Api(template) + (template == "/vms/actions" || (template == "/vms" && method == "DELETE") ? "?tag_name=nobody" : "");
        return new HostileRequest(method, path, user.Api.Authorization, body, "application/json", headers, "headers");
    }

    HostileRequest HostileAuth()
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes);
        var auth = Pick(new[]
        {
            "Basic", "Basic ", "Basic !!!notbase64", "Basic " + B64("nocolon"u8.ToArray()), "Basic " + B64(":"u8.ToArray()), "Basic " + B64([0xFF, 0x3A, 0xFE]),
            "Basic " + B64(Encoding.UTF8.GetBytes(new string('u', 200) + ":x")), "Basic " + B64(Encoding.UTF8.GetBytes(user.Username + ":" + new string('p', 5000))),
            "Bearer", "Bearer ", "Bearer " + new string('t', 10000), "Bearer cf_" + Formats.RandomId(), "Bearer cf_\u00e9", "Digest username=x",
            "basic " + B64(Encoding.UTF8.GetBytes(user.Username + ":wrong-password")), "Negotiate abc", "Bearer a b c", ",,,",
        });
        var (method, template) = Pick(routes);
        return new HostileRequest(method, Api(template), auth, method is "POST" or "PUT" ? InvalidBody(template) : null, "application/json",
            method == "DELETE" ? [("If-Match", "\"stale\"")] : [], "auth");
    }

    /// <summary>What a raw connection sends instead of (or as a broken form of) an HTTP request.</summary>
    public static byte[] RawPayload(Random random, int i, string authorization)
    {
        var a = authorization;
        var texts = new[]
        {
            $"GET /api/v1/vms/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\n\r\n",
            $"GET /api/v1/vms/\u00c3( HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\n\r\n",
            $"POST /api/v1/vms HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            $"POST /api/v1/vms HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n",
            $"POST /api/v1/vms HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n",
            $"POST /api/v1/vms HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{{}}",
            $"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: {a}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{{\"na",
            "GET / HTTP/0.9\r\n\r\n", "GET\r\n\r\n", "\r\n\r\n\r\n", new string('A', 10000) + " / HTTP/1.1\r\n\r\n",
            "GET /api/v1/vms HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n", "GET /api/v1/vms HTTP/1.1\r\nHost: x\r\n Folded: header\r\n\r\n",
            "GET /api/v1/vms HTTP/9.9\r\nHost: x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        };
        if (i % 3 == 0)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            return bytes;
        }
        var text = texts[random.Next(texts.Length)];
        var payload = Encoding.Latin1.GetBytes(text);
        if (i % 3 == 1 && payload.Length > 20)
            payload[random.Next(payload.Length)] = (byte)random.Next(256); // one byte flipped somewhere
        return payload;
    }
}
