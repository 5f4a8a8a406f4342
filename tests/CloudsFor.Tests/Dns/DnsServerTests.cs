using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Dns;

/// <summary>The DNS server's life: its data comes from the store (a restart changes nothing), it can be turned off, and a taken port stops the start.</summary>
public sealed class DnsServerTests
{
    [Fact]
    public async Task A_restart_answers_exactly_as_before()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--dns-nameservers", "ns1.example.net,ns2.example.net");
        var user = await TestAccounts.Create(server);
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.7");
        await Domains.AddRecord(user.Api, d, new { type = "TXT", name = "kept", data = "still here" });
        var soa = (await Dig.Query(server, d, "SOA")).Answer.Single().Data;
        Assert.StartsWith($"ns1.example.net. hostmaster.{d}. ", soa);
        Assert.Equal(["ns1.example.net.", "ns2.example.net."], (await Dig.Query(server, d, "NS")).Data("NS").Order());

        await server.RestartAsync();
        Assert.Equal(soa, (await Dig.Query(server, d, "SOA")).Answer.Single().Data);
        Assert.Equal(["\"still here\""], (await Dig.Query(server, "kept." + d, "TXT")).Data("TXT"));
        Assert.Equal(["192.0.2.7"], (await Dig.Query(server, d)).Data("A"));
    }

    [Fact]
    public async Task Dns_listen_off_serves_the_api_but_no_dns()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--dns-listen", "off");
        var user = await TestAccounts.Create(server);
        var d = await Domains.Create(user.Api, ipAddress: "192.0.2.7");
        Assert.Contains("IN\tA\t192.0.2.7", (await user.Api.Get($"/domains/{d}")).Expect(200)["domain"].Str("zone_file"));
        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, server.DnsPort));
    }

    [Fact]
    public async Task A_taken_dns_port_stops_the_start_with_a_clear_message()
    {
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var data = Directory.CreateTempSubdirectory("cloudsfor-dns-port-");
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cloudsfor.dll"), "serve", "--data", data.FullName, "--listen", "127.0.0.1:1", "--dns-listen", $"127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment["CLOUDSFOR_ADMIN_PASSWORD"] = "unused-password";
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.Equal(2, process.ExitCode);
            Assert.Contains($"cannot serve DNS on 127.0.0.1:{port}", await stderr);
            Assert.DoesNotContain("   at ", await stderr);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
