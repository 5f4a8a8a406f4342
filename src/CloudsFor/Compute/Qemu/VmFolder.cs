using System.Text.Json;

namespace CloudsFor.Compute.Qemu;

public sealed record ForwardedPort(int GuestPort, int HostPort);

/// <summary>What a VM's QEMU process is started from; written to vm.json so a restarted server starts the same machine.</summary>
public sealed record VmConfig(string Id, string Name, int Memory, int Vcpus, int Disk, string ImageId, string? Kernel, string? Initrd,
    string Region, string PrivateIp, int PrefixLength, string Mac, IReadOnlyList<ForwardedPort> Forwards);

/// <summary>All files of one VM, together in one folder: disk overlay, seed, monitor socket, serial log, pid file.</summary>
public sealed class VmFolder(string vmsDir, string vmId)
{
    public string Path { get; } = System.IO.Path.Combine(vmsDir, vmId);
    public string VmId { get; } = vmId;
    public string Disk => Combine("disk.qcow2");
    public string Seed => Combine("seed.iso");
    public string Monitor => Combine("qmp.sock");
    /// <summary>A second QMP monitor, held open by <see cref="PowerWatch"/> for QEMU's events (QEMU serves one client per monitor).</summary>
    public string Events => Combine("events.sock");
    public string SerialLog => Combine("serial.log");
    public string PidFile => Combine("qemu.pid");
    public string ConfigFile => Combine("vm.json");

    string Combine(string name) => System.IO.Path.Combine(Path, name);

    public bool Exists => File.Exists(ConfigFile);

    public VmConfig? ReadConfig() => Exists ? JsonSerializer.Deserialize<VmConfig>(File.ReadAllText(ConfigFile)) : null;

    /// <summary>Write then rename: a kill mid-write leaves the old config, never half of one.</summary>
    public void WriteConfig(VmConfig config)
    {
        Directory.CreateDirectory(Path);
        File.WriteAllText(ConfigFile + ".tmp", JsonSerializer.Serialize(config));
        File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);
    }

    /// <summary>A MAC address that stays the same for the VM's whole life (QEMU's locally administered prefix).</summary>
    // From the id's last characters: its first ones are its creation time (Model.Ids), alike for VMs made within hours.
    public static string MacFor(string vmId) => "52:54:00:" + string.Join(':', Enumerable.Range(0, 3).Select(i => vmId.Substring(vmId.Length - 6 + i * 2, 2)));
}
