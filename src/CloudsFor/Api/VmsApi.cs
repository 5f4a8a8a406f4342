using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>VMs: created and deleted asynchronously through actions; name and tags change in place.</summary>
public static class VmsApi
{
    const int MaxNamesPerRequest = 10;
    static readonly string[] ReadOnly =
        ["id", "status", "locked", "memory", "vcpus", "disk", "created_at", "size_slug", "networks", "volume_ids", "vpc_id", "snapshot_ids", "features"];

    public static void MapVmsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/vms", List);
        api.MapPost("/vms", Create);
        api.MapDelete("/vms", DeleteTagged);
        api.MapRead("/vms/{id}", Get);
        api.MapPut("/vms/{id}", Update);
        api.MapDelete("/vms/{id}", Delete);
    }

    static string? Query(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db, VmDocuments documents, VmPageStarts starts, VmPages pages)
    {
        var page = PageRequest.From(request);
        var status = Query(request, "status");
        if (status is not null && !VmStatus.All.Contains(status))
            throw ApiError.BadRequest($"The query parameter status must be one of {string.Join(", ", VmStatus.All)}.");
        var filter = new VmFilter(caller.AccountId, Tags.Filter(request), Query(request, "name"), status, Query(request, "region"));
        // Everything the page depends on is in the account and the query string.
        var (total, vms) = await pages.Get(db, caller.AccountId + "?" + request.QueryString.Value, async c =>
            (await VmsSql.Count(c, filter), await documents.Of(c, caller.AccountId, await starts.Versions(c, filter, page.Page, page.PerPage))));
        return Reply.Page(request, "vms", vms.Select(vm => vm.Json).ToList(), total, page);
    }

    /// <summary>One of the caller's VMs as it is shown now (its ETag with it), or a 404.</summary>
    static async Task<VmDocuments.Rendered> Find(Db db, VmDocuments documents, Caller caller, string id) =>
        await documents.Find(db, caller.AccountId, id) ?? throw ApiError.NotFound();

    static IResult Shown(VmDocuments.Rendered vm) => Reply.One(vm.Body, vm.ETag);

    static async Task<IResult> Get(string id, Caller caller, Db db, VmDocuments documents) => Shown(await Find(db, documents, caller, id));

    static async Task<IResult> Create(JsonBody body, Caller caller, Db db, Catalog catalog, ActionIntake intake)
    {
        body.Allow(["name", "names", "size", "image", "region", "ssh_keys", "user_data", "tags"], [.. ReadOnly, "image_id", "region_slug"]);
        var name = body.String("name");
        var names = body.Strings("names", maxItems: MaxNamesPerRequest, maxLength: 253);
        var sizeSlug = body.String("size", required: true);
        var imageRef = body.String("image", required: true);
        var regionSlug = body.String("region");
        var sshKeys = body.Strings("ssh_keys", maxItems: 20, maxLength: 16 * 1024) ?? [];
        var userData = body.String("user_data", maxLength: 64 * 1024, multiline: true) ?? "";
        var tags = Tags.Read(body, "tags");
        if (name is not null && names is not null)
            body.Error("names", "give either name or names, not both");
        else if (name is null && names is null && !body.Has("names"))
            body.Error("name", "is required");
        else if (names is { Count: 0 })
            body.Error("names", "must hold at least one name");
        var all = names ?? (name is null ? [] : [name]);
        foreach (var bad in all.Where(n => !Hostnames.IsValid(n)))
            body.Error(names is null ? "name" : "names", $"'{bad}' is not a valid hostname (letters, digits, '-' and '.', labels of 1 to 63 characters)");

        var publicKeys = await SshKeysApi.Resolve(body, "ssh_keys", sshKeys, caller, db);

        var size = sizeSlug is null ? null : catalog.FindSize(sizeSlug);
        if (sizeSlug is not null && size is null)
            body.Error("size", $"'{sizeSlug}' is not a size; GET /sizes lists them");
        var region = regionSlug is null ? catalog.DefaultRegion : catalog.FindRegion(regionSlug);
        if (region is null)
            body.Error("region", $"'{regionSlug}' is not a region; GET /regions lists them");
        var image = imageRef is null ? null : await db.Read(c => ImagesSql.Find(c, caller.AccountId, imageRef));
        if (imageRef is not null && image is null)
            body.Error("image", $"'{imageRef}' is not an image you can use; GET /images lists them");
        else if (image?.Status is "new" or "errored")
            body.Error("image", $"'{imageRef}' is {image.Status}, not available: a custom image boots once it is checked");
        if (image is not null && size is not null && size.Disk < image.MinDiskSize)
            body.Error("size", $"the image needs a disk of at least {image.MinDiskSize} GiB; {size.Slug} has {size.Disk} GiB");
        body.ThrowIfInvalid();

        var (vms, actions) = await intake.CreateVms(caller, new VmCreation(all, size!, image!, region!, publicKeys, userData, tags ?? []));
        var views = vms.Select(vm => VmView.Of(vm, image, catalog)).ToList();
        var links = new { actions = actions.Select(a => new { id = a.Id, rel = "create", href = $"/api/v1/actions/{a.Id}" }).ToList() };
        return names is null
            ? Reply.One("vm", views[0], 202, $"/api/v1/vms/{views[0].Id}", links)
            : Reply.Many("vms", views, 202, links);
    }

    static async Task<IResult> Update(string id, JsonBody body, HttpContext ctx, Caller caller, Db db, VmDocuments documents, Catalog catalog, TimeProvider time)
    {
        body.Allow(["name", "tags"], [.. ReadOnly, "size", "image", "region", "user_data", "ssh_keys"]);
        var name = body.String("name");
        var tags = Tags.Read(body, "tags");
        if (name is not null && !Hostnames.IsValid(name))
            body.Error("name", $"'{name}' is not a valid hostname");
        body.ThrowIfInvalid();
        var vm = await Find(db, documents, caller, id);
        Reply.CheckIfMatch(ctx, () => vm.ETag);
        await db.Write(async (c, t) =>
        {
            // Re-read inside the transaction so a worker's concurrent status change is not overwritten.
            var current = await VmsSql.FindToChange(c, t, caller.AccountId, id) ?? throw ApiError.NotFound();
            current.Name = name ?? current.Name;
            await VmsSql.Update(c, t, current);
            var now = Clock.Stored(time.GetUtcNow());
            if (tags is not null)
                await VmsSql.SetTags(c, t, id, tags, now);
            await Events.VmChanged(c, t, id, current.Status, catalog, now);
            if (tags is not null)
                await TagWrites.Ensure(c, t, caller.AccountId, tags, now);
        });
        return Shown(await Find(db, documents, caller, id));
    }

    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, VmDocuments documents, ActionIntake intake)
    {
        if (ctx.Request.Headers.IfMatch.Count > 0)
        {
            var vm = await Find(db, documents, caller, id);
            Reply.CheckIfMatch(ctx, () => vm.ETag);
        }
        await intake.Delete(caller, id);
        return Reply.NoContent();
    }

    static async Task<IResult> DeleteTagged(HttpRequest request, Caller caller, ActionIntake intake)
    {
        var tag = Tags.Filter(request) ?? throw ApiError.BadRequest("DELETE /vms needs ?tag_name= to say which VMs to delete.");
        await intake.DeleteTagged(caller, tag);
        return Reply.NoContent();
    }
}
