using CloudsFor.Client.Models;

namespace CloudsFor.Cli.Output;

/// <summary>
/// The columns of each resource. The default ones keep a table within 80 columns (ids are 32 characters);
/// --format picks any of them.
/// </summary>
public static class Columns
{
    public static readonly IReadOnlyList<Column<Vm>> Vm =
    [
        new("ID", v => v.Id),
        new("Name", v => v.Name),
        new("Status", v => v.Status),
        new("IPv4", v => v.Networks.V4.FirstOrDefault(n => n.Type == "public")?.IpAddress ?? v.Networks.V4.FirstOrDefault()?.IpAddress),
        new("Region", v => v.Region?.Slug),
        new("Size", v => v.SizeSlug, false),
        new("Image", v => v.Image?.Slug ?? v.Image?.Id, false),
        new("Memory", v => v.Memory.ToString(), false),
        new("VCPUs", v => v.Vcpus.ToString(), false),
        new("Disk", v => v.Disk.ToString(), false),
        new("Locked", v => Cell.Flag(v.Locked), false),
        new("Tags", v => Cell.List(v.Tags), false),
        new("Ports", v => Cell.List(v.PortForwards.Select(p => $"{p.HostIp}:{p.HostPort}->{p.GuestPort}/{p.Protocol}")), false),
        new("Created", v => Cell.Time(v.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<CloudAction>> Action =
    [
        new("ID", a => a.Id),
        new("Status", a => a.Status),
        new("Type", a => a.Type),
        new("Started", a => Cell.Time(a.StartedAt)),
        new("Completed", a => Cell.Time(a.CompletedAt), false),
        new("ResourceType", a => a.ResourceType, false),
        new("ResourceID", a => a.ResourceId, false),
        new("Region", a => a.Region, false),
        new("Error", a => a.Error, false),
    ];

    /// <summary>Default columns fit 80 characters: the time of day, the type, the resource's id and its state after the change.</summary>
    public static readonly IReadOnlyList<Column<CloudEvent>> Event =
    [
        new("ID", e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), false),
        new("Time", e => e.OccurredAt?.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
        new("Type", e => e.Type),
        new("ResourceID", e => e.ResourceId),
        new("Status", e => e.IsResync ? e.Message : e.Vm?.Status ?? e.Action?.Status ?? (e.Type.EndsWith(".deleted", StringComparison.Ordinal) ? "deleted" : "")),
        new("ResourceType", e => e.ResourceType, false),
        new("Name", e => e.Vm?.Name ?? Text(e, "name"), false),
        new("OccurredAt", e => Cell.Time(e.OccurredAt), false),
    ];

    static string? Text(CloudEvent change, string property) =>
        change.Resource is { ValueKind: System.Text.Json.JsonValueKind.Object } r && r.TryGetProperty(property, out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;

    public static readonly IReadOnlyList<Column<Image>> Image =
    [
        new("ID", i => i.Id),
        new("Slug", i => i.Slug),
        new("Name", i => i.Name),
        new("Type", i => i.Type),
        new("Distribution", i => i.Distribution, false),
        new("Public", i => Cell.Flag(i.Public), false),
        new("MinDisk", i => i.MinDiskSize.ToString(), false),
        new("SizeGB", i => Cell.Number(i.SizeGigabytes), false),
        new("Status", i => i.Status),
        new("Regions", i => Cell.List(i.Regions), false),
        new("Error", i => i.ErrorMessage, false),
        new("VmID", i => i.VmId, false),
        new("Description", i => i.Description, false),
        new("Created", i => Cell.Time(i.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<Size>> Size =
    [
        new("Slug", s => s.Slug),
        new("Memory", s => s.Memory.ToString()),
        new("VCPUs", s => s.Vcpus.ToString()),
        new("Disk", s => s.Disk.ToString()),
        new("PriceMonthly", s => Cell.Number(s.PriceMonthly)),
        new("Regions", s => Cell.List(s.Regions)),
        new("PriceHourly", s => Cell.Number(s.PriceHourly), false),
        new("Available", s => Cell.Flag(s.Available), false),
        new("Description", s => s.Description, false),
    ];

    public static readonly IReadOnlyList<Column<Region>> Region =
    [
        new("Slug", r => r.Slug),
        new("Name", r => r.Name),
        new("Available", r => Cell.Flag(r.Available)),
        new("Sizes", r => Cell.List(r.Sizes), false),
        new("Features", r => Cell.List(r.Features), false),
        new("VCPUs", r => Cell.Number(r.Capacity.Vcpus), false),
        new("Memory", r => Cell.Number(r.Capacity.Memory), false),
        new("Disk", r => Cell.Number(r.Capacity.Disk), false),
    ];

    public static readonly IReadOnlyList<Column<Domain>> Domain =
    [
        new("Name", d => d.Name),
        new("TTL", d => d.Ttl.ToString()),
        new("ZoneFile", d => d.ZoneFile, false),
    ];

    public static readonly IReadOnlyList<Column<DomainRecord>> Record =
    [
        new("ID", r => r.Id),
        new("Type", r => r.Type),
        new("Name", r => r.Name),
        new("Data", r => r.Data),
        new("TTL", r => r.Ttl.ToString()),
        new("Priority", r => Cell.Number(r.Priority), false),
        new("Port", r => Cell.Number(r.Port), false),
        new("Weight", r => Cell.Number(r.Weight), false),
        new("Flags", r => Cell.Number(r.Flags), false),
        new("Tag", r => r.Tag, false),
    ];

    public static readonly IReadOnlyList<Column<SshKey>> SshKey =
    [
        new("ID", k => k.Id),
        new("Name", k => k.Name),
        new("FingerPrint", k => k.Fingerprint),
        new("SHA256", k => k.FingerprintSha256, false),
        new("PublicKey", k => k.PublicKey, false),
        new("Created", k => Cell.Time(k.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<Tag>> Tag =
    [
        new("Name", t => t.Name),
        new("Count", t => t.Resources.Count.ToString()),
        new("VMs", t => t.Resources.Vms.Count.ToString()),
        new("Images", t => t.Resources.Images.Count.ToString()),
        new("Volumes", t => t.Resources.Volumes.Count.ToString()),
        new("Domains", t => t.Resources.Domains.Count.ToString()),
        new("LastTagged", t => t.Resources.LastTaggedUri, false),
    ];

    public static readonly IReadOnlyList<Column<Volume>> Volume =
    [
        new("ID", v => v.Id),
        new("Name", v => v.Name),
        new("Size", v => $"{v.SizeGigabytes} GiB"),
        new("Region", v => v.RegionSlug),
        new("Status", v => v.Status),
        new("VMs", v => Cell.List(v.VmIds)),
        new("FilesystemType", v => v.FilesystemType, false),
        new("FilesystemLabel", v => v.FilesystemLabel, false),
        new("Tags", v => Cell.List(v.Tags), false),
        new("Created", v => Cell.Time(v.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<Snapshot>> Snapshot =
    [
        new("ID", s => s.Id),
        new("Name", s => s.Name),
        new("Type", s => s.ResourceType),
        new("Size", s => $"{s.SizeGigabytes.ToString(System.Globalization.CultureInfo.InvariantCulture)} GiB"),
        new("Status", s => s.Status),
        new("ResourceID", s => s.ResourceId, false),
        new("MinDiskSize", s => $"{s.MinDiskSize} GiB", false),
        new("Regions", s => Cell.List(s.Regions), false),
        new("Tags", s => Cell.List(s.Tags), false),
        new("Created", s => Cell.Time(s.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<ApiToken>> Token =
    [
        new("ID", t => t.Id),
        new("Name", t => t.Name),
        new("Scopes", t => Cell.List(t.Scopes)),
        new("Expires", t => Cell.Time(t.ExpiresAt)),
        new("Created", t => Cell.Time(t.CreatedAt), false),
        // Only in the answer that created the token: the server keeps a hash.
        new("Token", t => t.Secret, false),
    ];

    public static readonly IReadOnlyList<Column<User>> User =
    [
        new("ID", u => u.Id),
        new("Username", u => u.Username),
        new("Email", u => u.Email),
        new("Admin", u => Cell.Flag(u.Admin)),
        new("Status", u => u.Status, false),
        new("VmLimit", u => u.VmLimit.ToString(), false),
        new("Created", u => Cell.Time(u.CreatedAt), false),
    ];

    public static readonly IReadOnlyList<Column<Account>> Account =
    [
        new("Username", a => a.Username),
        new("Email", a => a.Email),
        new("Status", a => a.Status),
        new("VmLimit", a => a.VmLimit.ToString()),
        new("VMs", a => Cell.Number(a.Usage.Vms)),
        new("UUID", a => a.Uuid, false),
        new("VCPUs", a => Cell.Number(a.Usage.Vcpus), false),
        new("Memory", a => Cell.Number(a.Usage.Memory), false),
        new("Disk", a => Cell.Number(a.Usage.Disk), false),
    ];
}
