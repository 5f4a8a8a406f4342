namespace CloudsFor.Client.Models;

/// <summary>A virtual machine. <c>Memory</c> in MiB, <c>Disk</c> in GiB; <c>Locked</c> while an action on it runs.</summary>
public sealed record Vm(string Id, string Name, string Status, bool Locked, int Memory, int Vcpus, int Disk, DateTimeOffset? CreatedAt,
    Image? Image, Size? Size, string SizeSlug, Region? Region, VmNetworks Networks, IReadOnlyList<string> Tags,
    IReadOnlyList<string> VolumeIds, string? VpcId, IReadOnlyList<string> SnapshotIds, IReadOnlyList<string> Features,
    IReadOnlyList<PortForward> PortForwards);

public sealed record VmNetworks(IReadOnlyList<VmNetwork> V4, IReadOnlyList<VmNetwork> V6);

/// <summary>One address of a VM; <c>Type</c> is public or private.</summary>
public sealed record VmNetwork(string IpAddress, string Netmask, string Gateway, string Type);

/// <summary>A port on the host that reaches the VM (qemu driver).</summary>
public sealed record PortForward(string Protocol, string HostIp, int HostPort, int GuestPort);

/// <summary>The values of <see cref="Vm.Status"/>.</summary>
public static class VmStatus
{
    public const string New = "new";
    public const string Active = "active";
    public const string Off = "off";
    public const string Errored = "errored";
}

/// <summary>The answer to creating one VM: the VM in <c>new</c> and the id of its create action.</summary>
public sealed record VmCreated(Vm Vm, string ActionId);

/// <summary>The answer to creating several VMs at once: the VMs and their create actions' ids, in the same order.</summary>
public sealed record VmsCreated(IReadOnlyList<Vm> Vms, IReadOnlyList<string> ActionIds);

/// <summary>The last lines of a VM's serial console.</summary>
public sealed record VmConsole(string VmId, int Lines, string Output);

/// <summary>A link the server sends with a creation, e.g. <c>{"id", "rel": "create", "href"}</c> for a VM's create action.</summary>
public sealed record ActionLink(string Id, string Rel, string Href);
