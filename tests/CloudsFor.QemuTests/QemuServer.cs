using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>A server with the qemu driver; its VMs are killed with it, since they would outlive it.</summary>
public sealed class QemuServer : IAsyncLifetime
{
    public static readonly string[] Settings = ["--driver", "qemu", "--rate-per-minute", "0", "--rate-per-hour", "0"];

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(Settings);

    public Task DisposeAsync()
    {
        var dataDir = Server.DataDir;
        Server.Kill();
        HostProcesses.KillAll(dataDir);
        Server.Dispose();
        return Task.CompletedTask;
    }
}
