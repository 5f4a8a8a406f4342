using System.Diagnostics;
using System.Net.Sockets;

namespace CloudsFor.Bench;

/// <summary>
/// HAProxy (Debian's package) in front of two servers, running the operator guide's example config
/// docs/haproxy.cfg.example itself: the addresses go in through the environment variables it reads.
/// </summary>
public static class Balancer
{
    public static async Task<Child> Start(string repo, int port, IReadOnlyList<int> serverPorts)
    {
        if (serverPorts.Count != 2)
            throw new ArgumentException("docs/haproxy.cfg.example names two servers", nameof(serverPorts));
        var config = Path.Combine(repo, "docs", "haproxy.cfg.example");
        // -db: in the foreground, so the runner owns the process and kills it at the end.
        var haproxy = await Child.Start("haproxy", ["-db", "-f", config], readyLine: null, new Dictionary<string, string>
        {
            ["CLOUDSFOR_LB_LISTEN"] = $"127.0.0.1:{port}",
            ["CLOUDSFOR_API1"] = $"127.0.0.1:{serverPorts[0]}",
            ["CLOUDSFOR_API2"] = $"127.0.0.1:{serverPorts[1]}",
        });
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return haproxy;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}
