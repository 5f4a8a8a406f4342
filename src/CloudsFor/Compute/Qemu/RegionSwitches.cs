namespace CloudsFor.Compute.Qemu;

/// <summary>
/// One virtual Ethernet switch per region (<see cref="RegionSwitch"/>, inside the server, so a
/// stopped server leaves no process but the VMs): every VM's private NIC plugs into its region's
/// switch, so VMs of a region reach each other on their private addresses without touching the
/// host's network. Files: DATA/qemu/net/REGION.sock (the switch) and net/REGION/VMID (a VM's port).
/// </summary>
public sealed class RegionSwitches(QemuSettings settings, ILogger<RegionSwitches> log) : IDisposable
{
    readonly Dictionary<string, RegionSwitch> running = [];

    public string SocketOf(string region) => Path.Combine(settings.NetDir, region + ".sock");

    public string PortOf(string region, string vmId) => Path.Combine(settings.NetDir, region, vmId);

    /// <summary>Starts the region's switch unless it runs; returns its socket.</summary>
    public string Ensure(string region)
    {
        lock (running)
        {
            if (!running.ContainsKey(region))
                running[region] = new RegionSwitch(SocketOf(region), Path.Combine(settings.NetDir, region), log);
            return SocketOf(region);
        }
    }

    public void Dispose()
    {
        lock (running)
        {
            foreach (var region in running.Values)
                region.Dispose();
            running.Clear();
        }
    }
}
