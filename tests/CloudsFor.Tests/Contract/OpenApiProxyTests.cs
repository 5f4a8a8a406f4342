using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Contract;

/// <summary>
/// Prism as a validating proxy in front of the server: about a hundred varied requests, and no answer may break
/// the document (Prism names each break in an sl-violations header). Request violations are expected where a test
/// sends a bad body on purpose; only response violations count. HEAD is left out: Prism 5 tries to parse a HEAD
/// answer's empty body as JSON and fails on its own.
/// </summary>
public sealed class OpenApiProxyTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    readonly TempFolder work = new("cloudsfor-prism-");
    readonly List<string> failures = [];
    HttpClient proxy = null!;
    Process? prism;
    int sent;

    public void Dispose()
    {
        if (prism is { HasExited: false })
            prism.Kill(entireProcessTree: true);
        prism?.Dispose();
        proxy?.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task No_answer_to_a_hundred_varied_requests_breaks_the_document()
    {
        await OpenApiTools.EnsureInstalled();
        var document = Path.Combine(work.Path, "openapi.json");
        await File.WriteAllTextAsync(document, await shared.Server.Client.GetStringAsync(shared.Server.BaseUrl + "/openapi.json"));
        await StartPrism(document);
        var user = await TestAccounts.Create(shared.Server);
        var (_, token) = await TestAccounts.CreateToken(user.Api, ["read", "write"]);
        proxy.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        foreach (var path in new[] { "/account", "/regions", "/regions/fra1", "/sizes", "/sizes/s-1vcpu-512mb", "/images", "/images?type=distribution",
                     "/images?private=true", "/images/tiny", "/vms", "/actions", "/tokens", "/domains", "/openapi.json", "/regions/nowhere", "/sizes?page=0" })
            await Send(HttpMethod.Get, path);
        var vm = (await Send(HttpMethod.Post, "/vms", new { name = "prism-1", size = "s-1vcpu-512mb", image = "tiny", tags = new[] { "prism" } })).GetProperty("vm").GetProperty("id").GetString()!;
        await Send(HttpMethod.Post, "/vms", new { names = new[] { "prism-2", "prism-3" }, size = "s-1vcpu-512mb", image = "tiny" });
        await Send(HttpMethod.Post, $"/vms/{vm}/actions", new { type = "reboot" }); // locked while created: 409
        await WaitUnlocked(vm);
        foreach (var action in new object[] { new { type = "power_off" }, new { type = "power_on" }, new { type = "snapshot", name = "prism-snap" }, new { type = "rename", name = "prism-one" }, new { type = "resize", size = "s-1vcpu-1gb", disk = true } })
        {
            await Send(HttpMethod.Post, $"/vms/{vm}/actions", action);
            await WaitUnlocked(vm);
        }
        foreach (var path in new[] { $"/vms/{vm}", $"/vms/{vm}/actions", $"/vms/{vm}/snapshots", $"/vms/{vm}/console", $"/vms/{vm}/console?lines=5",
                     "/vms?per_page=1", "/vms?per_page=1&page=2", "/vms?per_page=1&page=9", "/vms?tag_name=prism", "/vms?name=prism-2", "/vms?status=active",
                     "/vms?region=fra1", "/actions?per_page=2", "/images?type=snapshot", $"/vms/{Formats.RandomId()}", "/vms?per_page=500" })
            await Send(HttpMethod.Get, path);
        await Send(HttpMethod.Put, $"/vms/{vm}", new { tags = new[] { "prism", "web" } });
        await Send(HttpMethod.Put, $"/vms/{vm}", new { name = "bad name!" });
        await Send(HttpMethod.Post, "/vms", new { name = "prism-4", size = "no-such-size", image = "tiny" });
        await Send(HttpMethod.Post, "/vms/actions?tag_name=prism", new { type = "power_off" });

        var (tokenId, _) = await TokenRoundTrip();
        await Send(HttpMethod.Get, $"/tokens/{tokenId}");
        await Send(HttpMethod.Delete, $"/tokens/{tokenId}");

        var domain = TestAccounts.UniqueName("prism") + ".example";
        await Send(HttpMethod.Post, "/domains", new { name = domain, ip_address = "192.0.2.1" });
        var records = $"/domains/{domain}/records";
        foreach (var record in new object[] { new { type = "A", name = "www", data = "192.0.2.2" }, new { type = "AAAA", name = "www", data = "2001:db8::2" },
                     new { type = "MX", name = "@", data = "mail." + domain, priority = 10 }, new { type = "TXT", name = "@", data = "v=spf1 -all" },
                     new { type = "CNAME", name = "blog", data = "www." + domain }, new { type = "CAA", name = "@", data = "letsencrypt.org", flags = 0, tag = "issue" },
                     new { type = "SRV", name = "_sip._tcp", data = "sip." + domain, priority = 1, weight = 5, port = 5060 }, new { type = "CNAME", name = "www", data = "x." + domain } })
            await Send(HttpMethod.Post, records, record);
        var listed = await Send(HttpMethod.Get, records + "?name=www");
        foreach (var path in new[] { records, records + "?type=MX", records + "?type=SOA", records + "?per_page=2&page=2", $"/domains/{domain}", $"/domains/nope-{domain}", records + "/" + Formats.RandomId() })
            await Send(HttpMethod.Get, path);
        var recordId = listed.GetProperty("domain_records")[0].GetProperty("id").GetString();
        await Send(HttpMethod.Get, $"{records}/{recordId}");
        await Send(HttpMethod.Put, $"{records}/{recordId}", new { type = "A", name = "www", data = "192.0.2.3", ttl = 600 });
        await Send(HttpMethod.Delete, $"{records}/{recordId}");
        await Send(HttpMethod.Delete, $"/domains/{domain}");
        await VolumeSnapshotRoundTrip();

        var anonymous = new HttpRequestMessage(HttpMethod.Get, "vms");
        anonymous.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        await Send(anonymous);
        await Send(HttpMethod.Get, "/users"); // not an operator: 403
        await Send(HttpMethod.Delete, $"/vms/{vm}");
        await Send(HttpMethod.Delete, "/vms?tag_name=prism");
        while (sent < 100)
            await Send(HttpMethod.Get, $"/vms?per_page=1&page={sent % 5 + 1}");

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers break the document:\n" + string.Join('\n', failures));
    }

    async Task VolumeSnapshotRoundTrip()
    {
        var volume = (await Send(HttpMethod.Post, "/volumes", new { name = "prism-vol", size_gigabytes = 1, region = "fra1" })).GetProperty("volume").GetProperty("id").GetString()!;
        await Poll.Until(() => Send(HttpMethod.Get, $"/volumes/{volume}"), b => b.GetProperty("volume").GetProperty("status").GetString() == "available", "volume available");
        var snapshot = (await Send(HttpMethod.Post, $"/volumes/{volume}/snapshots", new { name = "prism", tags = new[] { "prism" } })).GetProperty("snapshot").GetProperty("id").GetString()!;
        await Poll.Until(() => Send(HttpMethod.Get, $"/snapshots/{snapshot}"), b => b.GetProperty("snapshot").GetProperty("status").GetString() == "available", "snapshot available");
        foreach (var path in new[] { "/snapshots", "/snapshots?resource_type=volume&tag_name=prism", $"/volumes/{volume}/snapshots" })
            await Send(HttpMethod.Get, path);
        await Send(HttpMethod.Post, "/volumes", new { name = "prism-copy", size_gigabytes = 1, snapshot_id = snapshot });
        await Send(HttpMethod.Post, $"/volumes/{volume}/snapshots", new { name = "" });
        await Send(HttpMethod.Delete, $"/snapshots/{snapshot}");
    }

    async Task<(string Id, string Secret)> TokenRoundTrip()
    {
        var created = (await Send(HttpMethod.Post, "/tokens", new { name = "prism", scopes = new[] { "read" }, expires_in_seconds = 3600 })).GetProperty("token");
        await Send(HttpMethod.Put, $"/tokens/{created.GetProperty("id").GetString()}", new { name = "prism-renamed" });
        return (created.GetProperty("id").GetString()!, created.GetProperty("token").GetString()!);
    }

    async Task WaitUnlocked(string vm) =>
        await Poll.Until(() => Send(HttpMethod.Get, $"/vms/{vm}"), body => !body.GetProperty("vm").GetProperty("locked").GetBoolean(), $"VM {vm} unlocked");

    Task<JsonElement> Send(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return Send(request);
    }

    async Task<JsonElement> Send(HttpRequestMessage request)
    {
        using var response = await proxy.SendAsync(request);
        sent++;
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{request.Method} {request.RequestUri}: {(int)response.StatusCode}";
        if ((int)response.StatusCode >= 500)
            failures.Add($"{what} {text}");
        if (response.Headers.TryGetValues("sl-violations", out var violations))
            foreach (var v in JsonDocument.Parse(violations.First()).RootElement.EnumerateArray().Where(v => v.GetProperty("location")[0].GetString() == "response"))
                failures.Add($"{what} {v}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    async Task StartPrism(string document)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(OpenApiTools.Folder, "node_modules", ".bin", "prism"))
        {
            WorkingDirectory = OpenApiTools.Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "proxy", document, shared.Server.BaseUrl, "--host", "127.0.0.1", "--port", port.ToString() })
            start.ArgumentList.Add(arg);
        start.Environment["NODE_EXTRA_CA_CERTS"] = Path.Combine(shared.Server.DataDir, "tls", "ca.pem");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = prism = new Process { StartInfo = start };
        DataReceivedEventHandler read = (_, e) =>
        {
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data?.Contains("Prism is listening") == true)
                listening.TrySetResult();
        };
        process.OutputDataReceived += read;
        process.ErrorDataReceived += read;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(Poll.DefaultDeadline)) != listening.Task)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            lock (output)
                Assert.Fail("prism did not start:\n" + output);
        }
        proxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
