namespace CloudsFor.Model;

public static class VmStatus
{
    public const string New = "new";
    public const string Active = "active";
    public const string Off = "off";
    public const string Errored = "errored";

    public static readonly string[] All = [New, Active, Off, Errored];
}

/// <summary>A VM as stored. <see cref="Locked"/> is true while an action on it is in progress.</summary>
public sealed class VmRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Name { get; set; } = "";
    public string Status { get; set; } = VmStatus.New;
    public bool Locked { get; set; }
    public string SizeSlug { get; set; } = "";
    public int Memory { get; set; }
    public int Vcpus { get; set; }
    public int Disk { get; set; }
    public string RegionSlug { get; init; } = "";
    public string ImageId { get; set; } = "";
    public long IpHost { get; init; }
    public string UserData { get; init; } = "";
    public string SshKeys { get; set; } = "[]";
    /// <summary>JSON list of the driver's port forwards from the host to the VM.</summary>
    public string PortForwards { get; set; } = "[]";
    public string CreatedAt { get; init; } = "";
    public string? DeletedAt { get; init; }
    /// <summary>JSON list of the VM's tags, read with the row; written through their own table.</summary>
    public string TagsJson { get; init; } = "[]";
    /// <summary>JSON list of the ids of the VM's snapshots (images), read with the row.</summary>
    public string SnapshotIdsJson { get; init; } = "[]";
    /// <summary>JSON list of the ids of the volumes attached to the VM, read with the row.</summary>
    public string VolumeIdsJson { get; init; } = "[]";
    /// <summary>Changes with everything the VM's representation shows (see Store.Migrations); written by the store itself.</summary>
    public long Version { get; init; }
    /// <summary>The VM's image as a JSON object (Store.ImagesSql.AsJson), read with the row; null when the image is gone.</summary>
    public string? ImageJson { get; init; }
}
