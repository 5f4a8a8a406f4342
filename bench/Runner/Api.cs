using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace CloudsFor.Bench;

/// <summary>The runner's own HTTPS client of the API (seeding, checks, the bytes the ceiling returns), trusting only the server's CA.</summary>
public sealed class Api(string origin, string caPem)
{
    readonly HttpClient client = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusted(caPem, certificate),
        },
    }) { Timeout = TimeSpan.FromMinutes(2) };

    public string Origin => origin;

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public async Task<(int Status, byte[] Body)> Send(HttpMethod method, string path, string? auth, string? body = null)
    {
        using var request = new HttpRequestMessage(method, origin + path);
        if (auth is not null)
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        if (body is not null)
            request.Content = new StringContent(body, new MediaTypeHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Sends and requires <paramref name="expected"/>; returns the parsed body.</summary>
    public async Task<JsonElement> Expect(int expected, HttpMethod method, string path, string? auth, object? body = null)
    {
        var (status, bytes) = await Send(method, path, auth, body is null ? null : body as string ?? JsonSerializer.Serialize(body));
        if (status != expected)
            throw new InvalidOperationException($"{method} {path}: expected {expected}, got {status}: {Encoding.UTF8.GetString(bytes)}");
        return bytes.Length == 0 ? default : JsonDocument.Parse(bytes).RootElement.Clone();
    }

    /// <summary>Every item of a collection, 200 per page.</summary>
    public async Task<List<JsonElement>> All(string path, string root, string auth)
    {
        var items = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var sep = path.Contains('?') ? '&' : '?';
            var answer = await Expect(200, HttpMethod.Get, $"{path}{sep}per_page=200&page={page}", auth);
            var batch = answer.GetProperty(root).EnumerateArray().ToList();
            items.AddRange(batch);
            if (batch.Count < 200)
                return items;
        }
    }

    static bool Trusted(string caPem, X509Certificate? presented)
    {
        if (presented is null)
            return false;
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPem));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented as X509Certificate2 ?? new X509Certificate2(presented));
    }
}
