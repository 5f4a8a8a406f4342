using System.Data.Common;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>A validated request to create a volume: the API has resolved the region and checked the fields.</summary>
public sealed record VolumeCreation(string Name, string Description, int SizeGigabytes, Region Region, string FilesystemType,
    string FilesystemLabel, IReadOnlyList<string> Tags, string? SnapshotId = null);

/// <summary>
/// The request side of volumes, as <see cref="ActionIntake"/> is for VMs: each change is written as volume and action rows in
/// one transaction, with the limit and state checks inside it, then handed to the worker (volume actions are queued under
/// the volume's id, so a volume's actions run one at a time, in order, after its create).
/// </summary>
public sealed class VolumeIntake(Db db, Ids ids, TimeProvider time, ActionQueue queue, Catalog catalog)
{
    public const string Create = "create";
    public const string Destroy = "destroy";
    public static readonly string[] Requestable = ["attach", "detach", "resize"];

    public async Task<(VolumeRow Volume, ActionRow Action)> CreateVolume(Caller caller, VolumeCreation request)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var result = await db.Write(async (c, t) =>
        {
            var user = await UsersSql.ById(c, caller.AccountId, t) ?? throw ApiError.Unauthorized();
            var usage = await VolumesSql.UsageOfAccount(c, caller.AccountId, t);
            if (usage.Count + 1 > user.VolumeLimit)
                throw ApiError.Invalid("name", $"Creating this volume would exceed your volume_limit of {user.VolumeLimit} volumes ({usage.Count} in use).");
            CheckGigabytes(user, usage, request.SizeGigabytes);
            // Checked again here: the snapshot may have been deleted since the API read it.
            if (request.SnapshotId is { } snapshotId && await SnapshotsSql.Find(c, caller.AccountId, snapshotId, t) is not { Status: Snapshots.Available })
                throw ApiError.Invalid("snapshot_id", $"'{snapshotId}' is not one of your volume snapshots; GET /snapshots?resource_type=volume lists them");
            if (await VolumesSql.FindByName(c, caller.AccountId, request.Name, request.Region.Slug, t) is { } same)
                throw ApiError.Conflict($"You have a volume named {request.Name} in {request.Region.Slug} already ({same.Id}).");
            var volume = new VolumeRow
            {
                Id = ids.New(), AccountId = caller.AccountId, Name = request.Name, Description = request.Description,
                SizeGigabytes = request.SizeGigabytes, RegionSlug = request.Region.Slug, FilesystemType = request.FilesystemType,
                FilesystemLabel = request.FilesystemLabel, Status = VolumeStatus.Creating, Locked = true, CreatedAt = now,
                TagsJson = System.Text.Json.JsonSerializer.Serialize(request.Tags.Distinct().Order(StringComparer.Ordinal)),
            };
            await VolumesSql.Insert(c, t, volume);
            foreach (var tag in request.Tags.Distinct())
                await TagsSql.Tag(c, t, caller.AccountId, tag, "volume", volume.Id, now);
            await TagWrites.Ensure(c, t, caller.AccountId, request.Tags, now);
            await Events.Volume(c, t, "volume.created", volume, catalog, now);
            return (volume, await InsertAction(c, t, volume, Create, new ActionParams(SnapshotId: request.SnapshotId), now));
        });
        queue.Enqueue([result.volume.Id]);
        return result;
    }

    static void CheckGigabytes(UserRow user, VolumeUsage usage, long more)
    {
        if (usage.Gigabytes + more > user.VolumeGigabytesLimit)
            throw ApiError.Invalid("size_gigabytes",
                $"This would exceed your volume_gigabytes_limit of {user.VolumeGigabytesLimit} GiB of volumes ({usage.Gigabytes} GiB in use).");
    }

    /// <summary>A volume named by id, or by name and region (/volumes/actions).</summary>
    public sealed record Reference(string? Id, string? Name = null, string? Region = null);

    /// <summary>One action on one volume: 409 while another runs, 422 when the volume's state or the VM forbids it.</summary>
    public async Task<ActionRow> Request(Caller caller, Reference reference, string type, ActionParams parameters)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var action = await db.Write(async (c, t) =>
        {
            var volume = await Find(c, t, caller, reference) ?? throw ApiError.NotFound();
            if (volume.Locked)
                throw ApiError.Conflict($"Volume {volume.Id} is locked: another action on it is in progress.");
            if (volume.Status != VolumeStatus.Available)
                throw ApiError.Invalid("type", $"Volume {volume.Id} is {volume.Status}; only an available volume can be changed.");
            switch (type)
            {
                case "attach":
                    await CheckAttach(c, t, caller, volume, parameters.VmId!);
                    volume.TargetVmId = parameters.VmId;
                    break;
                case "detach":
                    if (volume.TargetVmId is null)
                        throw ApiError.Invalid("type", $"Volume {volume.Id} is not attached to a VM.");
                    if (parameters.VmId is not null && parameters.VmId != volume.TargetVmId)
                        throw ApiError.Invalid("vm_id", $"Volume {volume.Id} is attached to VM {volume.TargetVmId}, not to {parameters.VmId}.");
                    parameters = parameters with { VmId = volume.TargetVmId };
                    volume.TargetVmId = null;
                    break;
                case "resize":
                    var size = parameters.SizeGigabytes!.Value;
                    if (size <= volume.SizeGigabytes)
                        throw ApiError.Invalid("size_gigabytes", $"Volume {volume.Id} has {volume.SizeGigabytes} GiB; a volume only grows, so give more.");
                    var user = await UsersSql.ById(c, caller.AccountId, t) ?? throw ApiError.Unauthorized();
                    CheckGigabytes(user, await VolumesSql.UsageOfAccount(c, caller.AccountId, t), size - volume.SizeGigabytes);
                    break;
            }
            volume.Locked = true;
            await VolumesSql.Update(c, t, volume);
            return await InsertAction(c, t, volume, type, parameters, now);
        });
        queue.Enqueue([action.ResourceId]);
        return action;
    }

    static async Task CheckAttach(DbConnection c, DbTransaction t, Caller caller, VolumeRow volume, string vmId)
    {
        if (volume.TargetVmId is { } attached)
            throw ApiError.Invalid("vm_id", $"Volume {volume.Id} is attached to VM {attached} already; detach it first.");
        var vm = await VmsSql.FindToChange(c, t, caller.AccountId, vmId) ?? throw ApiError.Invalid("vm_id", $"'{vmId}' is not one of your VMs.");
        if (vm.RegionSlug != volume.RegionSlug)
            throw ApiError.Invalid("vm_id", $"VM {vm.Id} is in {vm.RegionSlug} and volume {volume.Id} in {volume.RegionSlug}; a volume attaches only to a VM in its region.");
        if (await VolumesSql.CountTargeting(c, t, vm.Id) >= Volumes.MaxPerVm)
            throw ApiError.Invalid("vm_id", $"VM {vm.Id} has {Volumes.MaxPerVm} volumes attached, the most a VM can have.");
    }

    static Task<VolumeRow?> Find(DbConnection c, DbTransaction t, Caller caller, Reference reference) =>
        reference.Id is not null
            ? VolumesSql.Find(c, caller.AccountId, reference.Id, t)
            : VolumesSql.FindByName(c, caller.AccountId, reference.Name!, reference.Region!, t);

    /// <summary>The volume disappears for its owner now; the driver removes its file in the background. An attached one is a 409.</summary>
    public async Task Delete(Caller caller, string volumeId)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var action = await db.Write(async (c, t) =>
        {
            var volume = await VolumesSql.Find(c, caller.AccountId, volumeId, t) ?? throw ApiError.NotFound();
            if (volume.Locked)
                throw ApiError.Conflict($"Volume {volume.Id} is locked: another action on it is in progress.");
            if (volume.TargetVmId is { } vmId)
                throw ApiError.Conflict($"Volume {volume.Id} is attached to VM {vmId}; detach it before deleting it.");
            await VolumesSql.MarkDeleted(c, t, volume.Id, now);
            await Events.Volume(c, t, "volume.deleted", volume, catalog, now);
            return await InsertAction(c, t, volume, Destroy, new ActionParams(), now);
        });
        queue.Enqueue([action.ResourceId]);
    }

    Task<ActionRow> InsertAction(DbConnection c, DbTransaction t, VolumeRow volume, string type, ActionParams parameters, string now) =>
        StartedActions.Insert(c, t, ids, volume.AccountId, volume.Id, "volume", type, volume.RegionSlug, parameters, now);
}
