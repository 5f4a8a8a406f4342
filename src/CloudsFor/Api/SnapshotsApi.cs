using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>
/// Snapshots of VMs (the images of type snapshot, same ids) and of volumes, as one collection; a volume's are made with
/// POST /volumes/{id}/snapshots. GET /vms/{id}/snapshots lists a VM's as images (VmActionsApi).
/// </summary>
public static class SnapshotsApi
{
    static readonly string[] ReadOnly = ["id", "created_at", "regions", "resource_id", "resource_type", "min_disk_size", "size_gigabytes", "status"];

    public static void MapSnapshotsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/snapshots", List);
        api.MapRead("/snapshots/{id}", Get);
        api.MapDelete("/snapshots/{id}", Delete);
        api.MapRead("/volumes/{id}/snapshots", OfVolume);
        api.MapPost("/volumes/{id}/snapshots", Create);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var type = request.Query["resource_type"].ToString() is { Length: > 0 } t ? t : null;
        if (type is not null && !Snapshots.ResourceTypes.Contains(type))
            throw ApiError.BadRequest("The query parameter resource_type must be vm or volume.");
        return await Page(request, db, new SnapshotFilter(caller.AccountId, type, Tags.Filter(request)), page);
    }

    static async Task<IResult> Page(HttpRequest request, Db db, SnapshotFilter filter, PageRequest page)
    {
        var (total, rows) = await db.Read(async c => (await SnapshotsSql.Count(c, filter), await SnapshotsSql.Page(c, filter, page.Offset, page.PerPage)));
        return Reply.Page(request, "snapshots", rows.Select(SnapshotView.Of).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Caller caller, Db db)
    {
        var snapshot = await db.Read(c => SnapshotsSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        return Reply.One("snapshot", SnapshotView.Of(snapshot));
    }

    /// <summary>204 at once: the snapshot is gone for its owner, and a destroy action (GET /actions) removes its files now.</summary>
    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, SnapshotIntake intake)
    {
        if (ctx.Request.Headers.IfMatch.Count > 0)
        {
            var snapshot = await db.Read(c => SnapshotsSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
            Reply.CheckIfMatch(ctx, "snapshot", SnapshotView.Of(snapshot));
        }
        await intake.Delete(caller, id);
        return Reply.NoContent();
    }

    static async Task<IResult> OfVolume(string id, HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        if (await db.Read(c => VolumesSql.Find(c, caller.AccountId, id)) is null)
            throw ApiError.NotFound();
        return await Page(request, db, new SnapshotFilter(caller.AccountId, "volume", VolumeId: id), page);
    }

    /// <summary>202: the snapshot is creating until the volume's snapshot action (links.actions) has made its copy.</summary>
    static async Task<IResult> Create(string id, JsonBody body, Caller caller, SnapshotIntake intake)
    {
        body.Allow(["name", "tags"], ReadOnly);
        var name = body.String("name", required: true);
        var tags = Tags.Read(body, "tags") ?? [];
        body.ThrowIfInvalid();
        var (snapshot, action) = await intake.SnapshotVolume(caller, id, name!, tags);
        var links = new { actions = new[] { new { id = action.Id, rel = "create", href = $"/api/v1/actions/{action.Id}" } } };
        return Reply.One("snapshot", SnapshotView.Of(snapshot), 202, $"/api/v1/snapshots/{snapshot.Id}", links);
    }
}
