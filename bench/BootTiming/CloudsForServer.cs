using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudsFor.Bench.BootTiming;

/// <summary>
/// The Release server with the qemu driver, and the one HttpClient that talks to it. "active" comes from the event stream
/// (one connection for the whole run); "ready" from the VM's console, read through the API by one poller for all VMs.
/// </summary>
sealed class CloudsForServer : IAsyncDisposable
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    readonly Process process;
    readonly StringBuilder output;
    readonly HttpClient http;
    readonly CancellationTokenSource stopping = new();
    readonly ConcurrentDictionary<string, TaskCompletionSource<TimeSpan>> active = new();
    readonly Stopwatch clock;

    CloudsForServer(Process process, StringBuilder output, HttpClient http, Stopwatch clock) =>
        (this.process, this.output, this.http, this.clock) = (process, output, http, clock);

    public string Log
    {
        get { lock (output) return output.ToString(); }
    }

    public static async Task<CloudsForServer> Start(string dll, string data, Stopwatch clock)
    {
        var port = FreePort();
        var password = "bench-" + Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "serve", "--data", data, "--listen", $"127.0.0.1:{port}", "--dns-listen", "off", "--driver", "qemu",
                     "--rate-per-minute", "0", "--rate-per-hour", "0" })
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSFOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["CLOUDSFOR_ADMIN_PASSWORD"] = password;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        void Append(string? line)
        {
            if (line is null) return;
            lock (log) log.AppendLine(line);
            if (line.Contains("cloudsfor: listening", StringComparison.Ordinal)) listening.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited before it listened"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            if (!process.HasExited)
                process.Kill();
            lock (log) Console.Error.Write(log);
            throw;
        }

        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(data, "tls", "ca.pem")));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            if (cert is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(cert as X509Certificate2 ?? new X509Certificate2(cert));
        };
        // The event stream stays open for the whole run.
        var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/api/v1/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password)));
        var server = new CloudsForServer(process, log, http, clock);
        await server.FollowEvents();
        return server;
    }

    /// <summary>Opens GET /events and returns once it is open, so no status change of a VM created afterwards is missed.</summary>
    async Task FollowEvents()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "events?resource_type=vm");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping.Token);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stopping.Token));
        _ = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(stopping.Token) is { } line)
                {
                    if (!line.StartsWith("data: ", StringComparison.Ordinal))
                        continue;
                    var at = clock.Elapsed;
                    var e = JsonNode.Parse(line[6..])!;
                    if ((string?)e["type"] != "vm.status_changed" || e["resource"] is not { } vm)
                        continue;
                    var status = (string?)vm["status"];
                    var waiter = active.GetOrAdd((string)e["resource_id"]!, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
                    if (status == "active")
                        waiter.TrySetResult(at);
                    else if (status == "errored")
                        waiter.TrySetException(new InvalidOperationException($"VM {e["resource_id"]} errored"));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                foreach (var waiter in active.Values)
                    waiter.TrySetException(new InvalidOperationException("the event stream ended"));
            }
        });
    }

    /// <summary>Creates the VMs in one POST /vms and returns their ids.</summary>
    public async Task<List<string>> Create(IReadOnlyList<string> names)
    {
        object body = names.Count == 1
            ? new { name = names[0], size = "s-1vcpu-512mb", image = "tiny" }
            : new { names, size = "s-1vcpu-512mb", image = "tiny" };
        using var response = await http.PostAsJsonAsync("vms", body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((int)response.StatusCode != 202)
            throw new InvalidOperationException($"POST /vms answered {(int)response.StatusCode}: {answer.ToJsonString()}");
        return names.Count == 1 ? [(string)answer["vm"]!["id"]!] : answer["vms"]!.AsArray().Select(vm => (string)vm!["id"]!).ToList();
    }

    /// <summary>When each VM became active, and when its console first showed the ready line (clock times).</summary>
    public async Task<List<(TimeSpan Active, TimeSpan Ready)>> WaitReady(IReadOnlyList<string> ids, TimeSpan deadline)
    {
        var actives = ids.Select(id => active.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
        var ready = new TimeSpan?[ids.Count];
        var until = clock.Elapsed + deadline;
        while (ready.Any(r => r is null))
        {
            if (clock.Elapsed > until)
                throw new TimeoutException($"not ready within {deadline}: {string.Join(", ", ids.Where((_, i) => ready[i] is null))}");
            for (var i = 0; i < ids.Count; i++)
            {
                // A VM is only asked for its console once it is active: before, it has none.
                if (ready[i] is not null || !actives[i].IsCompleted)
                    continue;
                await actives[i];
                using var response = await http.GetAsync($"vms/{ids[i]}/console?lines=50");
                if (!response.IsSuccessStatusCode)
                    continue;
                var at = clock.Elapsed;
                var console = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["console"]!;
                if (((string?)console["output"] ?? "").Contains(Program.ReadyLine, StringComparison.Ordinal))
                    ready[i] = at;
            }
            await Task.Delay(PollInterval);
        }
        var result = new List<(TimeSpan, TimeSpan)>();
        for (var i = 0; i < ids.Count; i++)
            result.Add((await actives[i], ready[i]!.Value));
        return result;
    }

    /// <summary>Deletes the VMs and waits until their QEMU processes are gone, so the next measurement runs alone.</summary>
    public async Task Delete(IEnumerable<string> ids)
    {
        var all = ids.ToList();
        foreach (var id in all)
        {
            using var response = await http.DeleteAsync($"vms/{id}");
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"DELETE /vms/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var until = DateTime.UtcNow.AddSeconds(120);
        while (all.Any(id => QemuCommand.Find("cf-" + id) is not null))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the QEMU processes of {string.Join(", ", all)} are still running two minutes after DELETE");
            await Task.Delay(200);
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
        stopping.Dispose();
    }
}
