using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// Thousands of malformed requests from a seeded generator: random bytes, deep and huge JSON, wrong
/// types, control characters and invalid UTF-8, traversal and encoded slashes in ids, huge headers
/// and query strings, bad credentials, and every method on every route of the OpenAPI document.
/// Never a 5xx; every error the API answers is the contract's JSON body; and the accounts' state is
/// the same afterwards. Requests Kestrel refuses before they reach the API (a URL past 8 KiB,
/// headers past 32 KiB, bytes that are not HTTP) get its bare 400/414/431, and the server goes on.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    const int Requests = 3000;
    const int RawConnections = 200;

    static readonly HashSet<string> ErrorIds =
    [
        "bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict", "precondition_failed",
        "payload_too_large", "unsupported_media_type", "unprocessable_entity", "too_many_requests", "server_error", "service_unavailable",
    ];

    [Fact]
    public async Task Thousands_of_malformed_requests_get_no_5xx_only_contract_errors_and_change_nothing()
    {
        var seed = ReliabilityKit.Seed();
        output.WriteLine($"random seed {seed}");
        // Every malformed request must reach the API, and the checks at the end must get in: the sign-in limits (tested in
        // PasswordGuessingTests) would lock this one client address after its first hundred bad credentials.
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000",
            "--signin-failures-per-user", "0", "--signin-failures-per-address", "0");
        var user = await TestAccounts.Create(server);
        var other = await TestAccounts.Create(server);
        var vm = await Vms.CreateActive(user.Api, tags: ["keep"]);
        var snapshot = await Vms.RunAction(user.Api, vm.Str("id"), new { type = "snapshot", name = "keep-snap" });
        var snapshotId = (await user.Api.Get($"/vms/{vm.Str("id")}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"], "keep-token");
        var domain = await Domains.Create(user.Api, ipAddress: "192.0.2.10");
        var record = (await Domains.AddRecord(user.Api, domain, new { type = "TXT", name = "keep", data = "keep-text" })).Str("id");
        var ids = new Dictionary<string, string>
        {
            ["vm"] = vm.Str("id"), ["action"] = snapshot.Str("id"), ["image"] = snapshotId, ["token"] = tokenId, ["user"] = other.Id,
            ["domain"] = domain, ["record"] = record,
        };
        var routes = await Routes(server);
        var records = $"/domains/{domain}/records?per_page=200";
        var before = (await ReliabilityKit.StateOf(user.Api, records), await ReliabilityKit.StateOf(other.Api));

        // Clients that put any header value on the wire as UTF-8 bytes, where the usual one refuses non-ASCII.
        HttpClient NewClient() => TrustedClient.For(Path.Combine(server.DataDir, "tls", "ca.pem"),
            handler => handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8);
        using var client = NewClient();
        var generator = new HostileRequests(new Random(seed), routes, ids, user);
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var byKestrel = 0;
        var cutOff = new ConcurrentDictionary<string, int>();
        var requests = Enumerable.Range(0, Requests).Select(_ => generator.Next()).ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, _) =>
        {
            ApiResponse r;
            try
            {
                r = await request.Send(client, server.Origin);
            }
            catch (HttpRequestException) when (LimitPassed(request) is { } limit)
            {
                // Past one of these limits the server answers at once and closes the connection; a client still
                // sending may see only the close. Proper HTTP, not a fault; RequestBodyTests reads the 413 itself.
                cutOff.AddOrUpdate(limit, 1, (_, n) => n + 1);
                return;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{request}: the connection failed: {e.Message} {e.InnerException?.Message}");
                return;
            }
            statuses.AddOrUpdate(r.Status, 1, (_, n) => n + 1);
            if (Problem(request, r) is { } problem)
                failures.Add($"{request}: {problem}");
            else if (r.Status >= 400 && r.Header("X-Request-Id") is null)
                Interlocked.Increment(ref byKestrel);
        });
        var raw = await RawGarbage(server, new Random(seed), user.Api.Authorization!, failures);

        output.WriteLine($"{requests.Count} malformed requests (cut off while still being sent: {string.Join(", ", cutOff.Select(c => $"{c.Key}: {c.Value}"))}), " +
            $"{RawConnections} raw connections of random bytes; " +
            $"{byKestrel} refused by Kestrel before the API, {raw} raw answers; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers, e.g.\n{string.Join("\n", failures.Take(10))}");
        ReliabilityKit.AssertSameState(before.Item1, await ReliabilityKit.StateOf(user.Api, records));
        ReliabilityKit.AssertSameState(before.Item2, await ReliabilityKit.StateOf(other.Api));
        Assert.False(server.HasExited, "the server died");
        Assert.DoesNotContain("Unhandled exception", server.Output);
        Assert.DoesNotContain("CloudsFor.Errors", server.Output);
        (await user.Api.Get($"/vms/{ids["vm"]}")).Expect(200);
    }

    /// <summary>
    /// The limit a request passes that lets the server refuse it before reading it all: a body over 1 MiB (413),
    /// Kestrel's 32 KiB of headers (431) or 8 KiB request line (414), or a path Kestrel refuses outright (400). The header sum leaves room for those HttpClient
    /// adds (Host, Content-Length, …), so a request near the limit counts as past it.
    /// </summary>
    static string? LimitPassed(HostileRequest request)
    {
        if (request.Body is { Length: > 1 << 20 })
            return "body over 1 MiB";
        var headerBytes = request.Headers.Sum(h => h.Name.Length + Encoding.UTF8.GetByteCount(h.Value) + 4)
            + Encoding.UTF8.GetByteCount(request.Authorization ?? "") + Encoding.UTF8.GetByteCount(request.ContentType ?? "");
        if (headerBytes > (32 << 10) - 512)
            return "headers over 32 KiB";
        if (request.Path.Length > (8 << 10) - 512)
            return "request line over 8 KiB";
        // Kestrel refuses a request target with an encoded NUL (a 400 with Connection: close), before the API reads a byte.
        if (request.Path.Contains("%00", StringComparison.Ordinal))
            return "encoded NUL in the path";
        return null;
    }

    /// <summary>The start of a raw payload, with its control bytes escaped, to say which one failed.</summary>
    static string Shown(byte[] payload) =>
        string.Concat(Encoding.Latin1.GetString(payload, 0, Math.Min(payload.Length, 120)).Select(c => c is < ' ' or > '~' ? $"\\x{(int)c:x2}" : c.ToString()));

    /// <summary>
    /// Whether the request line is a well-formed HTTP/1 one: method, target and version, one space apart, up to the first
    /// line feed. Kestrel ends the line at a bare LF too, so a flipped byte can leave it without a version, or make the
    /// target's tail the version ("GET /a b HTTP/1.1"): both are answered 505, by Kestrel, before the API.
    /// </summary>
    static bool SaysHttp1(byte[] payload)
    {
        var parts = Encoding.Latin1.GetString(payload).Split('\n')[0].TrimEnd('\r').Split(' ');
        return parts.Length == 3 && parts[2] is "HTTP/1.1" or "HTTP/1.0";
    }

    /// <summary>What is wrong with an answer, or null when it keeps the contract.</summary>
    static string? Problem(HostileRequest request, ApiResponse r)
    {
        if (r.Status >= 500)
            return $"a server error: {r}";
        if (r.Status < 400)
            return null;
        if (r.Header("X-Request-Id") is null)
            return r.Status is 400 or 414 or 431 && r.Text.Length == 0 ? null : $"an error the API did not write: {r}";
        if (request.Method == "HEAD")
            return r.Text.Length == 0 ? null : "a HEAD answer with a body";
        if (r.Json.ValueKind != JsonValueKind.Object)
            return $"an error without a JSON body: {r}";
        var id = r.Json.TryGetProperty("id", out var i) ? i.GetString() : null;
        if (id is null || !ErrorIds.Contains(id))
            return $"an error id outside the contract: {r}";
        if (!r.Json.TryGetProperty("message", out var m) || string.IsNullOrWhiteSpace(m.GetString()))
            return $"an error without a message: {r}";
        if (!r.Json.TryGetProperty("request_id", out var rid) || rid.GetString() != r.Header("X-Request-Id"))
            return $"an error whose request_id is not the X-Request-Id: {r}";
        return null;
    }

    /// <summary>
    /// Every operation of the OpenAPI document the server serves, as (method, path template), but the event stream: a request
    /// it accepts never ends (its bad input is EventTests' part).
    /// </summary>
    static async Task<List<(string Method, string Path)>> Routes(ServerProcess server)
    {
        var doc = (await server.Anonymous.Get("/openapi.json")).Expect(200).Json;
        return doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch" && !Streams(o.Value))
                .Select(o => (o.Name.ToUpperInvariant(), p.Name)))
            .ToList();
    }

    static bool Streams(JsonElement operation) =>
        operation.GetProperty("responses").TryGetProperty("200", out var ok) && ok.TryGetProperty("content", out var content)
        && content.TryGetProperty("text/event-stream", out _);

    /// <summary>Connections that send random bytes instead of HTTP (after a real TLS handshake): refused or dropped, never a 5xx.</summary>
    static async Task<int> RawGarbage(ServerProcess server, Random random, string authorization, ConcurrentBag<string> failures)
    {
        var answered = 0;
        var payloads = Enumerable.Range(0, RawConnections).Select(i => HostileRequests.RawPayload(random, i, authorization)).ToList();
        await Parallel.ForEachAsync(payloads, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (payload, _) =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", server.Port);
            await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null);
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            try
            {
                await tls.WriteAsync(payload);
                await tls.FlushAsync();
                var buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var read = await tls.ReadAsync(buffer, timeout.Token);
                var head = Encoding.ASCII.GetString(buffer, 0, read);
                if (read > 0)
                {
                    Interlocked.Increment(ref answered);
                    // RFC 9110 answers a request line of another HTTP version with 505, and Kestrel does, before the API.
                    var status = head.Length >= 12 && head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? head[9..12] : "";
                    if (status.StartsWith('5') && !(status == "505" && !SaysHttp1(payload)))
                        failures.Add($"raw bytes got {head.Split('\r')[0]} for {Shown(payload)}");
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The server dropped the connection or waits for more bytes: both fine for garbage.
            }
        });
        return answered;
    }
}

/// <summary>One generated request; Send puts it on the wire exactly as built.</summary>
public sealed record HostileRequest(string Method, string Path, string? Authorization, byte[]? Body, string? ContentType,
    IReadOnlyList<(string Name, string Value)> Headers, string Kind)
{
    public async Task<ApiResponse> Send(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), origin + Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        if (Authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        foreach (var (name, value) in Headers)
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content?.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        return new ApiResponse(response, await response.Content.ReadAsStringAsync());
    }

    public override string ToString() =>
        $"[{Kind}] {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} body {(Body is null ? "none" : Body.Length + " bytes")} {ContentType}";
}
