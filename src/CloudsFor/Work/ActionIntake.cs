using System.Data.Common;
using System.Text.Json;
using CloudsFor.Compute;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>A validated request to create VMs: the API has resolved the size, image and region.</summary>
public sealed record VmCreation(IReadOnlyList<string> Names, Size Size, ImageRow Image, Region Region,
    IReadOnlyList<string> SshKeys, string UserData, IReadOnlyList<string> Tags);

/// <summary>
/// The request side of durable work: each change is written as VM and action rows in one
/// transaction (with the capacity, limit and state checks inside it, so two requests cannot both
/// take the last slot), then handed to the worker. A crash after the commit loses nothing.
/// </summary>
public sealed class ActionIntake(Db db, Ids ids, TimeProvider time, ActionQueue queue, Catalog catalog, IComputeDriver driver)
{
    public async Task<(IReadOnlyList<VmRow> Vms, IReadOnlyList<ActionRow> Actions)> CreateVms(Caller caller, VmCreation request)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var result = await db.Write(async (c, t) =>
        {
            var user = await UsersSql.ById(c, caller.AccountId, t) ?? throw ApiError.Unauthorized();
            var owned = await VmsSql.CountOfAccount(c, caller.AccountId, t);
            if (owned + request.Names.Count > user.VmLimit)
                throw ApiError.Invalid(request.Names.Count > 1 ? "names" : "name",
                    $"Creating {request.Names.Count} VM(s) would exceed your limit of {user.VmLimit} VMs ({owned} in use).");
            await CheckCapacity(c, t, request.Region, request.Size.Vcpus * request.Names.Count,
                request.Size.Memory * request.Names.Count, request.Size.Disk * request.Names.Count, "size");

            var vms = new List<VmRow>();
            var actions = new List<ActionRow>();
            foreach (var name in request.Names)
            {
                var vm = new VmRow
                {
                    Id = ids.New(), AccountId = caller.AccountId, Name = name, Status = VmStatus.New, Locked = true,
                    SizeSlug = request.Size.Slug, Memory = request.Size.Memory, Vcpus = request.Size.Vcpus, Disk = request.Size.Disk,
                    RegionSlug = request.Region.Slug, ImageId = request.Image.Id,
                    IpHost = await FreeIp(c, t, request.Region),
                    UserData = request.UserData, SshKeys = JsonSerializer.Serialize(request.SshKeys), CreatedAt = now,
                    TagsJson = JsonSerializer.Serialize(request.Tags.Distinct().Order(StringComparer.Ordinal)),
                };
                await VmsSql.Insert(c, t, vm);
                await VmsSql.AddTags(c, t, vm.Id, request.Tags, now);
                await Events.Vm(c, t, "vm.created", vm, request.Image, catalog, now);
                vms.Add(vm);
                actions.Add(await InsertAction(c, t, vm, VmActionType.Create, new ActionParams(), now));
            }
            await TagWrites.Ensure(c, t, caller.AccountId, request.Tags, now);
            return (vms, actions);
        });
        queue.Enqueue(result.actions.Select(a => a.ResourceId));
        return result;
    }

    /// <summary>One action on one VM: 409 while another runs, 422 when the VM's state forbids it.</summary>
    public async Task<ActionRow> Request(Caller caller, string vmId, string type, ActionParams parameters)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var action = await db.Write(async (c, t) =>
        {
            var vm = await VmsSql.FindShownToChange(c, t, caller.AccountId, vmId) ?? throw ApiError.NotFound();
            return await Start(c, t, vm, type, parameters, now);
        });
        queue.Enqueue([action.ResourceId]);
        return action;
    }

    /// <summary>One action on every VM with the tag; all are checked first, so one refusal starts none.</summary>
    public async Task<IReadOnlyList<ActionRow>> RequestForTag(Caller caller, string tag, string type)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var actions = await db.Write(async (c, t) =>
        {
            var started = new List<ActionRow>();
            foreach (var vm in await VmsSql.All(c, new VmFilter(caller.AccountId, TagName: tag), t))
            {
                var parameters = type == "snapshot" ? new ActionParams(Name: $"{vm.Name}-{now[..19]}", SnapshotId: ids.New()) : new ActionParams();
                started.Add(await Start(c, t, vm, type, parameters, now));
            }
            return started;
        });
        queue.Enqueue(actions.Select(a => a.ResourceId));
        return actions;
    }

    /// <summary>The VM disappears for its owner now; the driver destroys it in the background.</summary>
    public async Task Delete(Caller caller, string vmId)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var action = await db.Write(async (c, t) =>
        {
            var vm = await VmsSql.FindToChange(c, t, caller.AccountId, vmId) ?? throw ApiError.NotFound();
            return await MarkDeleted(c, t, vm, now);
        });
        queue.Enqueue([action.ResourceId]);
    }

    public Task DeleteTagged(Caller caller, string tag) => DeleteWhere(new VmFilter(caller.AccountId, TagName: tag));

    public Task DeleteAllOf(Caller owner) => DeleteWhere(new VmFilter(owner.AccountId));

    async Task DeleteWhere(VmFilter filter)
    {
        var now = Clock.Stored(time.GetUtcNow());
        var actions = await db.Write(async (c, t) =>
        {
            var started = new List<ActionRow>();
            foreach (var vm in await VmsSql.All(c, filter, t))
                started.Add(await MarkDeleted(c, t, vm, now));
            return started;
        });
        queue.Enqueue(actions.Select(a => a.ResourceId));
    }

    async Task<ActionRow> MarkDeleted(DbConnection c, DbTransaction t, VmRow vm, string now)
    {
        await VmsSql.MarkDeleted(c, t, vm.Id, now);
        await Events.VmDeleted(c, t, vm, now);
        return await InsertAction(c, t, vm, VmActionType.Destroy, new ActionParams(), now);
    }

    /// <summary>Starts an action on a VM read with its relations (VmsSql.FindShownToChange or All).</summary>
    async Task<ActionRow> Start(DbConnection c, DbTransaction t, VmRow vm, string type, ActionParams parameters, string now)
    {
        if (vm.Locked)
            throw ApiError.Conflict($"VM {vm.Id} is locked: another action on it is in progress.");
        var refusal = VmActionType.All[type].RefusalFor(vm.Status);
        if (refusal is not null)
            throw ApiError.Invalid("type", refusal);
        if (type == "resize")
            await CheckResize(c, t, vm, parameters);
        vm.Locked = true;
        await VmsSql.Update(c, t, vm);
        await Events.VmChanged(c, t, vm, vm.Status, catalog, now);
        return await InsertAction(c, t, vm, type, parameters, now);
    }

    async Task CheckResize(DbConnection c, DbTransaction t, VmRow vm, ActionParams parameters)
    {
        var size = catalog.FindSize(parameters.SizeSlug!)!;
        if (size.Disk < vm.Disk)
            throw ApiError.Invalid("size", $"The size {size.Slug} has a {size.Disk} GiB disk, smaller than this VM's {vm.Disk} GiB disk; disks cannot shrink.");
        var region = catalog.FindRegion(vm.RegionSlug)!;
        await CheckCapacity(c, t, region, size.Vcpus - vm.Vcpus, size.Memory - vm.Memory, parameters.Disk ? size.Disk - vm.Disk : 0, "size");
    }

    /// <summary>The region's capacity from the catalog, and the host's own when the driver runs VMs on this machine.</summary>
    async Task CheckCapacity(DbConnection c, DbTransaction t, Region region, long vcpus, long memory, long disk, string field)
    {
        await CheckCapacity(await VmsSql.RegionUsage(c, t, region.Slug), region.Capacity, vcpus, memory, disk, field,
            $"Region {region.Slug} does not have the capacity for this");
        if (driver.HostCapacity() is { } host)
            await CheckCapacity(await VmsSql.RegionUsage(c, t, null), host, vcpus, memory, disk, field,
                "This host does not have the capacity for this");
    }

    static Task CheckCapacity(Capacity used, Capacity capacity, long vcpus, long memory, long disk, string field, string refusal)
    {
        var shortOf = new List<string>();
        if (vcpus > 0 && used.Vcpus + vcpus > capacity.Vcpus) shortOf.Add($"vCPUs ({capacity.Vcpus - used.Vcpus} free)");
        if (memory > 0 && used.Memory + memory > capacity.Memory) shortOf.Add($"memory ({capacity.Memory - used.Memory} MiB free)");
        if (disk > 0 && used.Disk + disk > capacity.Disk) shortOf.Add($"disk ({capacity.Disk - used.Disk} GiB free)");
        if (shortOf.Count > 0)
            throw ApiError.Invalid(field, $"{refusal}: not enough {string.Join(", ", shortOf)}.");
        return Task.CompletedTask;
    }

    static async Task<long> FreeIp(DbConnection c, DbTransaction t, Region region)
    {
        // Addresses go up, so a freed one is not handed out again at once; the gaps are searched only at the range's end.
        var hostCount = IpRange.Parse(region.IpRange).HostCount;
        var host = await VmsSql.NextIpHost(c, t, region.Slug);
        if (host > hostCount)
            host = await VmsSql.LowestFreeIpHost(c, t, region.Slug);
        if (host > hostCount)
            throw ApiError.Invalid("region", $"Region {region.Slug} has no private addresses left in {region.IpRange}.");
        return host;
    }

    Task<ActionRow> InsertAction(DbConnection c, DbTransaction t, VmRow vm, string type, ActionParams parameters, string now) =>
        StartedActions.Insert(c, t, ids, vm.AccountId, vm.Id, "vm", type, vm.RegionSlug, parameters, now);
}
