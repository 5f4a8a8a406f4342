namespace CloudsFor.Compute.Qemu;

/// <summary>
/// One virtual Ethernet switch per region (vde_switch, a user-space process): every VM's private
/// NIC plugs into its region's switch, so VMs of a region reach each other on their private
/// addresses without touching the host's network. Switches outlive the server, like the VMs.
/// </summary>
public sealed class RegionSwitches(QemuSettings settings)
{
    readonly SemaphoreSlim starting = new(1, 1);

    public string SocketOf(string region) => Path.Combine(settings.NetDir, region + ".ctl");

    string PidFileOf(string region) => Path.Combine(settings.NetDir, region + ".pid");

    public async Task<string> Ensure(string region, CancellationToken ct)
    {
        await starting.WaitAsync(ct);
        try
        {
            if (HostTools.LivePid(PidFileOf(region), "vde_switch") is null)
            {
                Directory.CreateDirectory(settings.NetDir);
                if (Directory.Exists(SocketOf(region)))
                    Directory.Delete(SocketOf(region), recursive: true);
                await HostTools.Run("vde_switch", ["-s", SocketOf(region), "-p", PidFileOf(region), "-d"], ct, TimeSpan.FromSeconds(10));
            }
            return SocketOf(region);
        }
        finally
        {
            starting.Release();
        }
    }

    /// <summary>Stops every switch (tests clean up with this; a server stop leaves them for the VMs).</summary>
    public void StopAll()
    {
        if (!Directory.Exists(settings.NetDir))
            return;
        foreach (var pidFile in Directory.GetFiles(settings.NetDir, "*.pid"))
            if (HostTools.LivePid(pidFile, "vde_switch") is { } pid)
                HostTools.Kill(pid);
    }
}
