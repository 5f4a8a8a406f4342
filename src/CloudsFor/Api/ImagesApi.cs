using System.Text.Json;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;
using Microsoft.AspNetCore.Http.Features;

namespace CloudsFor.Api;

/// <summary>
/// Public distribution images, the account's snapshots, and custom images the account brings: downloaded by the
/// server from a URL, or uploaded to PUT /images/{id}/file. Both are checked in the background (<see cref="ImageImports"/>).
/// </summary>
public static class ImagesApi
{
    static readonly string[] Types = ["distribution", "snapshot", "custom"];
    static readonly string[] ReadOnly = ["id", "slug", "type", "public", "regions", "min_disk_size", "size_gigabytes", "status", "created_at", "vm_id", "error_message", "import"];

    public static void MapImagesApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/images", List);
        api.MapPost("/images", Create);
        api.MapRead("/images/{id}", Get);
        api.MapPut("/images/{id}", Update);
        api.MapDelete("/images/{id}", Delete);
        api.MapPut("/images/{id}/file", UploadFile);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db, Catalog catalog, ImageImports imports)
    {
        var page = PageRequest.From(request);
        var type = request.Query["type"].ToString() is { Length: > 0 } t ? t : null;
        if (type is not null && !Types.Contains(type))
            throw ApiError.BadRequest("The query parameter type must be distribution, snapshot or custom.");
        var privateOnly = request.Query["private"].ToString() == "true";
        var tagName = Tags.Filter(request);
        var where = ImagesSql.Filter(type, privateOnly, tagName);
        var args = new { accountId = caller.AccountId, type, tagName, offset = page.Offset, limit = page.PerPage };
        var (total, rows) = await db.Read(async c => (await ImagesSql.Count(c, where, args), await ImagesSql.Page(c, where, args)));
        return Reply.Page(request, "images", rows.Select(i => ImageView.Of(i, catalog, imports.ProgressOf(i.Id))).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Caller caller, Db db, Catalog catalog, ImageImports imports)
    {
        var image = await db.Read(c => ImagesSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        return Reply.One("image", ImageView.Of(image, catalog, imports.ProgressOf(image.Id)));
    }

    /// <summary>A custom image: with a url the server downloads it, without one it waits for PUT /images/{id}/file.</summary>
    static async Task<IResult> Create(JsonBody body, Caller caller, Db db, Catalog catalog, Ids ids, TimeProvider time, ImageImports imports, ImageImportSettings settings)
    {
        body.Allow(["name", "url", "distribution", "description", "region", "tags"], ReadOnly);
        var name = body.String("name", required: true);
        var url = body.String("url", maxLength: 2048);
        var distribution = body.String("distribution", maxLength: 64);
        var description = body.String("description", maxLength: 1024, multiline: true);
        var region = body.String("region");
        var tags = Tags.Read(body, "tags") ?? [];
        if (name is { Length: 0 })
            body.Error("name", "must not be empty");
        if (url is not null && ImportGuard.Problem(url, settings) is { } problem)
            body.Error("url", problem);
        if (region is not null && catalog.FindRegion(region) is null)
            body.Error("region", $"'{region}' is not a region; GET /regions lists them");
        body.ThrowIfInvalid();

        var image = new ImageRow
        {
            Id = ids.New(), AccountId = caller.AccountId, Name = name!, Distribution = distribution is { Length: > 0 } ? distribution : "Unknown",
            Type = "custom", Description = description ?? "", RegionSlug = region, Status = "new", SourceUrl = url,
            CreatedAt = Clock.Stored(time.GetUtcNow()), TagsJson = JsonSerializer.Serialize(tags.Order(StringComparer.Ordinal)),
        };
        var view = ImageView.Of(image, catalog);
        await db.Write(async (c, t) =>
        {
            await ImagesSql.Insert(c, t, image);
            foreach (var tag in tags)
                await TagsSql.Tag(c, t, caller.AccountId, tag, "image", image.Id, image.CreatedAt);
            await Work.Events.Record(c, t, caller.AccountId, "image.created", "image", image.Id, view, image.CreatedAt);
            await TagWrites.Ensure(c, t, caller.AccountId, tags, image.CreatedAt);
        });
        if (url is not null)
            imports.Start(image);
        return Reply.One("image", view, 202, $"/api/v1/images/{image.Id}");
    }

    /// <summary>Only the caller's own images change; public images are the operator's, through the catalog file.</summary>
    static async Task<ImageRow> Own(Db db, Caller caller, string id)
    {
        var image = await db.Read(c => ImagesSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        if (image.AccountId is null)
            throw ApiError.Forbidden("Public images are managed by the operator in the catalog file.");
        return image;
    }

    static async Task<IResult> Update(string id, JsonBody body, HttpContext ctx, Caller caller, Db db, Catalog catalog, TimeProvider time)
    {
        body.Allow(["name", "description", "distribution"], ReadOnly);
        var name = body.String("name");
        var description = body.String("description", maxLength: 1024, multiline: true);
        var distribution = body.String("distribution", maxLength: 64);
        if (name is { Length: 0 })
            body.Error("name", "must not be empty");
        if (distribution is { Length: 0 })
            body.Error("distribution", "must not be empty");
        body.ThrowIfInvalid();
        var image = await Own(db, caller, id);
        Reply.CheckIfMatch(ctx, "image", ImageView.Of(image, catalog));
        image.Name = name ?? image.Name;
        image.Description = description ?? image.Description;
        image.Distribution = distribution ?? image.Distribution;
        var view = ImageView.Of(image, catalog);
        await db.Write(async (c, t) =>
        {
            await ImagesSql.Update(c, t, image);
            await Work.Events.Record(c, t, caller.AccountId, "image.updated", "image", image.Id, view, Clock.Stored(time.GetUtcNow()));
        });
        return Reply.One("image", view);
    }

    /// <summary>
    /// A snapshot goes at once, as DELETE /snapshots/{id} (its destroy action removes its files now; VMs made from it get
    /// its data copied into their own disks first). A custom image's disk is read by the VMs made from it, so it waits for them.
    /// </summary>
    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, Catalog catalog, TimeProvider time, ImageImports imports,
        SnapshotIntake snapshots)
    {
        var image = await Own(db, caller, id);
        Reply.CheckIfMatch(ctx, "image", ImageView.Of(image, catalog));
        if (image.Type == "snapshot")
        {
            await snapshots.Delete(caller, image.Id);
            return Reply.NoContent();
        }
        await db.Write(async (c, t) =>
        {
            if (image.Type == "custom" && await ImagesSql.VmsUsing(c, t, image.Id) is > 0 and var vms)
                throw ApiError.Conflict($"{vms} VM(s) made from this image still use its disk; delete them or rebuild them from another image first.");
            if (await ImagesSql.Delete(c, t, caller.AccountId, image.Id) > 0)
                await Work.Events.Record(c, t, caller.AccountId, "image.deleted", "image", image.Id, null, Clock.Stored(time.GetUtcNow()));
        });
        if (image.Type == "custom")
            imports.Remove(image.Id);
        return Reply.NoContent();
    }

    /// <summary>The bytes of a custom image created without a url, streamed to disk; checked in the background like an import.</summary>
    static async Task<IResult> UploadFile(string id, HttpContext ctx, Caller caller, Db db, Catalog catalog, ImageImports imports, ImageImportSettings settings)
    {
        var image = await Own(db, caller, id);
        if (ctx.Request.ContentType?.Split(';')[0].Trim() != "application/octet-stream")
            throw new ApiError(415, "unsupported_media_type", "The image's bytes are sent with Content-Type: application/octet-stream.");
        if (image.Type != "custom" || image.Status != "new" || image.SourceUrl is not null)
            throw ApiError.Conflict("This image is not waiting for an upload: only a custom image created without a url, still new, is.");
        var tooLarge = $"The image is larger than this server accepts ({settings.MaxBytes} bytes).";
        if (ctx.Request.ContentLength > settings.MaxBytes)
            throw new ApiError(413, "payload_too_large", tooLarge);
        // The import's own cap counts here, not the 1 MiB of JSON bodies.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        try
        {
            if (!await imports.Upload(image, ctx.Request.Body, ctx.Request.ContentLength, ctx.RequestAborted))
                throw ApiError.Conflict("An upload of this image is already under way.");
        }
        catch (ImportFailed)
        {
            throw new ApiError(413, "payload_too_large", tooLarge);
        }
        var now = await db.Read(c => ImagesSql.ById(c, image.Id)) ?? throw ApiError.NotFound();
        return Reply.One("image", ImageView.Of(now, catalog, imports.ProgressOf(now.Id)), 202);
    }
}
