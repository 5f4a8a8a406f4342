using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A caller of the API with one set of credentials. Paths are relative to /api/v1 ("/vms") unless
/// absolute (a link the server handed out). Bodies are any object (serialized as-is, so anonymous
/// objects use the API's snake_case names) or a string sent verbatim.
/// </summary>
public sealed class ApiClient
{
    readonly ServerProcess server;

    ApiClient(ServerProcess server, string? authorization)
    {
        this.server = server;
        Authorization = authorization;
    }

    /// <summary>The Authorization header sent verbatim (so tests can send malformed ones), or null for none.</summary>
    public string? Authorization { get; }

    public ServerProcess Server => server;

    public static ApiClient Basic(ServerProcess server, string username, string password) =>
        new(server, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    public static ApiClient Bearer(ServerProcess server, string token) => new(server, "Bearer " + token);

    public static ApiClient Anonymous(ServerProcess server) => new(server, null);

    public static ApiClient WithHeader(ServerProcess server, string authorizationHeader) => new(server, authorizationHeader);

    public Task<ApiResponse> Get(string path, IDictionary<string, string>? headers = null) => Send(HttpMethod.Get, path, null, headers);

    public Task<ApiResponse> Head(string path, IDictionary<string, string>? headers = null) => Send(HttpMethod.Head, path, null, headers);

    public Task<ApiResponse> Post(string path, object? body, IDictionary<string, string>? headers = null) => Send(HttpMethod.Post, path, body, headers);

    public Task<ApiResponse> Put(string path, object? body, IDictionary<string, string>? headers = null) => Send(HttpMethod.Put, path, body, headers);

    public Task<ApiResponse> Delete(string path, IDictionary<string, string>? headers = null) => Send(HttpMethod.Delete, path, null, headers);

    public Task<ApiResponse> Send(HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null)
    {
        HttpContent? content = body switch
        {
            null => null,
            string text => new StringContent(text, Encoding.UTF8, "application/json"),
            _ => new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        return SendContent(method, path, content, headers);
    }

    /// <summary>For the tests of the request rules themselves: any content with any content type.</summary>
    public async Task<ApiResponse> SendContent(HttpMethod method, string path, HttpContent? content, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = content };
        if (Authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            if (!request.Headers.TryAddWithoutValidation(name, value))
                content?.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response, text);
    }

    public string Url(string path) =>
        path.StartsWith("http://", StringComparison.Ordinal) || path.StartsWith("https://", StringComparison.Ordinal)
            ? path
            : server.BaseUrl + path;
}
