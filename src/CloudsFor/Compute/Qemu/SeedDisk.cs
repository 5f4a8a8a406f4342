using System.Text;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// The NoCloud seed (an ISO with the volume id "cidata"): meta-data with hostname and keys,
/// user-data, network-config (version 2, for cloud-init images) and two plain files the tiny
/// image reads without a YAML parser.
/// </summary>
public static class SeedDisk
{
    public static async Task Write(VmFolder folder, VmConfig config, IReadOnlyList<string> sshKeys, string userData, CancellationToken ct)
    {
        var dir = Path.Combine(folder.Path, "seed");
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var meta = new StringBuilder($"instance-id: {config.Id}\nlocal-hostname: {config.Name}\n");
        if (sshKeys.Count > 0)
            meta.Append("public-keys:\n").Append(string.Concat(sshKeys.Select(k => $"  - \"{k.Replace("\"", "")}\"\n")));
        await File.WriteAllTextAsync(Path.Combine(dir, "meta-data"), meta.ToString(), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "user-data"), userData.Length > 0 ? userData : "#cloud-config\n{}\n", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "network-config"), $"""
            version: 2
            ethernets:
              private:
                match: {"{"}macaddress: "{config.Mac}"{"}"}
                addresses: [{config.PrivateIp}/{config.PrefixLength}]
              forward:
                match: {"{"}macaddress: "{ForwardNicMac(config.Mac)}"{"}"}
                dhcp4: true
            """ + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "cloudsfor-net"), $"PRIVATE_CIDR={config.PrivateIp}/{config.PrefixLength}\n", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "authorized_keys"), string.Concat(sshKeys.Select(k => k + "\n")), ct);
        await HostTools.Run("genisoimage", ["-quiet", "-volid", "cidata", "-joliet", "-rock", "-output", folder.Seed, dir], ct);
    }

    /// <summary>The second NIC (user-mode, for port forwards) gets the private MAC with its last bit set.</summary>
    public static string ForwardNicMac(string mac) => mac[..^2] + (Convert.ToInt32(mac[^2..], 16) ^ 1).ToString("x2");
}
