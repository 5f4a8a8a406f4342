using System.Globalization;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Panel;

/// <summary>A signed-in panel session seen from outside the browser: its cookie, its anti-forgery token, and requests made with them.</summary>
public sealed record BrowserSession(ServerProcess Server, string Secret, string CsrfToken, ApiResponse SignIn)
{
    public const string Cookie = "cloudsfor_session";

    public static async Task<BrowserSession> Start(ServerProcess server, string username, string password)
    {
        var signedIn = (await server.Anonymous.Post("/sessions", new { username, password })).Expect(201);
        var setCookie = signedIn.Header("Set-Cookie") ?? throw new InvalidOperationException($"no Set-Cookie: {signedIn}");
        var secret = setCookie.Split(';')[0].Split('=', 2)[1];
        return new BrowserSession(server, secret, signedIn["session"].GetProperty("csrf_token").GetString()!, signedIn);
    }

    /// <summary>Headers a same-origin script sends: the cookie, the token (unless told otherwise), and any others.</summary>
    public Dictionary<string, string> Headers(bool csrf = true, params (string Name, string Value)[] more)
    {
        var headers = new Dictionary<string, string> { ["Cookie"] = $"{Cookie}={Secret}" };
        if (csrf)
            headers["X-CSRF-Token"] = CsrfToken;
        foreach (var (name, value) in more)
            headers[name] = value;
        return headers;
    }

    public Task<ApiResponse> Get(string path) => Server.Anonymous.Get(path, Headers(csrf: false));

    public DateTimeOffset Field(string name) =>
        DateTimeOffset.Parse(SignIn["session"].GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The server's clock, read from the Date header of a request that uses no session.</summary>
    public static async Task<DateTimeOffset> ServerNow(ServerProcess server) =>
        DateTimeOffset.Parse((await server.Anonymous.Get("/openapi.json")).Header("Date")!, CultureInfo.InvariantCulture);
}
