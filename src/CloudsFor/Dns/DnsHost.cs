using ARSoft.Tools.Net.Dns;

namespace CloudsFor.Dns;

/// <summary>
/// Runs the authoritative DNS server next to the API: zones loaded from the store before the first
/// query, the library's DnsServer on our UDP and TCP transports, and the once-a-second sync.
/// </summary>
public sealed class DnsHost(DnsTransports transports, Zones zones, Authority authority, QueryFaults faults, ILogger<DnsHost> log) : IHostedService
{
    static readonly TimeSpan SyncEvery = TimeSpan.FromSeconds(1);
    readonly CancellationTokenSource stopping = new();
    DnsServer? server;
    Task? syncing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await zones.Sync();
        server = new DnsServer(transports.Udp, transports.Tcp);
        server.QueryReceived += authority.Handle;
        server.ExceptionThrown += (_, e) =>
        {
            // Mostly packets the library could not parse (dropped).
            faults.Report(e.Exception);
            return Task.CompletedTask;
        };
        server.Start();
        syncing = SyncLoop(stopping.Token);
        log.LogInformation("DNS: authoritative for {Count} zones on {Endpoint} (UDP and TCP)", zones.Count, transports.Endpoint);
    }

    async Task SyncLoop(CancellationToken token)
    {
        using var timer = new PeriodicTimer(SyncEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                try
                {
                    await zones.Sync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "DNS: syncing zones with the store failed; retrying");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        server?.Stop();
        if (syncing is not null)
            await syncing;
    }
}
