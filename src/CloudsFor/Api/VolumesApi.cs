using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>Block storage volumes: created and deleted through actions, attached to VMs of their region.</summary>
public static class VolumesApi
{
    static readonly string[] ReadOnly = ["id", "vm_ids", "status", "created_at", "region_slug"];

    public static void MapVolumesApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/volumes", List);
        api.MapPost("/volumes", Create);
        api.MapRead("/volumes/{id}", Get);
        api.MapDelete("/volumes/{id}", Delete);
        api.MapVolumeActionsApi();
    }

    static string? Query(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db, Catalog catalog)
    {
        var page = PageRequest.From(request);
        var filter = new VolumeFilter(caller.AccountId, Query(request, "name"), Query(request, "region"), Tags.Filter(request));
        var (total, rows) = await db.Read(async c => (await VolumesSql.Count(c, filter), await VolumesSql.Page(c, filter, page.Offset, page.PerPage)));
        return Reply.Page(request, "volumes", rows.Select(v => VolumeView.Of(v, catalog)).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Caller caller, Db db, Catalog catalog)
    {
        var volume = await db.Read(c => VolumesSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        return Reply.One("volume", VolumeView.Of(volume, catalog));
    }

    static async Task<IResult> Create(JsonBody body, Caller caller, Catalog catalog, Db db, VolumeIntake intake)
    {
        body.Allow(["name", "description", "size_gigabytes", "region", "snapshot_id", "filesystem_type", "filesystem_label", "tags"], ReadOnly);
        var name = body.String("name", required: true, maxLength: 64);
        var description = body.String("description", maxLength: 1024, multiline: true) ?? "";
        var size = body.Integer("size_gigabytes", 1, Volumes.MaxSizeGigabytes, required: true);
        var snapshot = await VolumeSource.Read(body, caller, db, size);
        var regionSlug = body.String("region", required: snapshot is null) ?? snapshot?.RegionSlug;
        var fsType = snapshot?.FilesystemType ?? body.String("filesystem_type") ?? "none";
        var label = snapshot?.FilesystemLabel ?? body.String("filesystem_label") ?? "";
        var tags = Tags.Read(body, "tags") ?? [];
        if (name is not null && !Volumes.NamePattern().IsMatch(name))
            body.Error("name", $"'{name}' is not a valid volume name (a lowercase letter, then up to 63 of a-z, 0-9 and '-')");
        var region = regionSlug is null ? null : catalog.FindRegion(regionSlug);
        if (regionSlug is not null && region is null)
            body.Error("region", $"'{regionSlug}' is not a region; GET /regions lists them");
        if (!Volumes.FilesystemTypes.Contains(fsType))
            body.Error("filesystem_type", $"'{fsType}' is not a file system type; use one of {string.Join(", ", Volumes.FilesystemTypes)}");
        else if (fsType == "none" && label.Length > 0)
            body.Error("filesystem_label", "a label needs a file system: give filesystem_type ext4 or xfs");
        if (!Volumes.LabelPattern().IsMatch(label))
            body.Error("filesystem_label", "must hold at most 12 of letters, digits, '_', '.', '-'");
        body.ThrowIfInvalid();

        var (volume, action) = await intake.CreateVolume(caller,
            new VolumeCreation(name!, description, (int)size!.Value, region!, fsType, label, tags, snapshot?.Id));
        var links = new { actions = new[] { new { id = action.Id, rel = "create", href = $"/api/v1/actions/{action.Id}" } } };
        return Reply.One("volume", VolumeView.Of(volume, catalog), 201, $"/api/v1/volumes/{volume.Id}", links);
    }

    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, Catalog catalog, VolumeIntake intake)
    {
        if (ctx.Request.Headers.IfMatch.Count > 0)
        {
            var volume = await db.Read(c => VolumesSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
            Reply.CheckIfMatch(ctx, "volume", VolumeView.Of(volume, catalog));
        }
        await intake.Delete(caller, id);
        return Reply.NoContent();
    }
}
