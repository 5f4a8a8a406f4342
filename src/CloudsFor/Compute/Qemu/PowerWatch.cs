using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// Holds a connection to each running VM's event monitor (<see cref="VmFolder.Events"/>) and reports the VM when QEMU
/// sends an event or the connection ends, which is the process exiting (also by kill -9): the reconciler then checks it
/// at once. An idle connection costs no CPU. A machine started by a CloudsFor without the event monitor is not watched;
/// the reconciler's round finds it.
/// </summary>
sealed class PowerWatch(ILogger log)
{
    // The process each VM's watch follows: a new process (a restart) gets a new watch.
    readonly ConcurrentDictionary<string, int> watched = new();

    public event Action<string>? Changed;

    public void Ensure(VmFolder folder, int pid)
    {
        // The round and the reported VMs' checks may ask at once: one of them starts the watch.
        var current = watched.GetValueOrDefault(folder.VmId);
        if (current != pid && (current == 0 ? watched.TryAdd(folder.VmId, pid) : watched.TryUpdate(folder.VmId, pid, current)))
            _ = Watch(folder, pid);
    }

    async Task Watch(VmFolder folder, int pid)
    {
        try
        {
            await using var qmp = await QmpClient.Connect(folder.Events, CancellationToken.None);
            while (await qmp.NextEvent(CancellationToken.None) is { } name)
            {
                log.LogDebug("VM {VmId}: QEMU event {Event}", folder.VmId, name);
                Changed?.Invoke(folder.VmId);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or DriverException or System.Text.Json.JsonException)
        {
            // No event monitor (an older machine) or it broke: only a process that is gone is worth a report.
            if (!HostTools.Gone(pid))
                return;
        }
        // The socket closes as the process exits; the report waits until it is gone, so the check sees it stopped.
        await HostTools.WaitForExit(pid, TimeSpan.FromSeconds(10), CancellationToken.None);
        watched.TryRemove(new KeyValuePair<string, int>(folder.VmId, pid));
        Changed?.Invoke(folder.VmId);
    }
}
