using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>Public distribution images and the account's own snapshots.</summary>
public static class ImagesApi
{
    static readonly string[] Types = ["distribution", "snapshot", "custom"];
    static readonly string[] ReadOnly = ["id", "slug", "distribution", "type", "public", "regions", "min_disk_size", "size_gigabytes", "status", "created_at", "vm_id"];

    public static void MapImagesApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/images", List);
        api.MapRead("/images/{id}", Get);
        api.MapPut("/images/{id}", Update);
        api.MapDelete("/images/{id}", Delete);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db, Catalog catalog)
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
        return Reply.Page(request, "images", rows.Select(i => ImageView.Of(i, catalog)).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Caller caller, Db db, Catalog catalog)
    {
        var image = await db.Read(c => ImagesSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        return Reply.One("image", ImageView.Of(image, catalog));
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
        body.Allow(["name", "description"], ReadOnly);
        var name = body.String("name");
        var description = body.String("description", maxLength: 1024, multiline: true);
        if (name is { Length: 0 })
            body.Error("name", "must not be empty");
        body.ThrowIfInvalid();
        var image = await Own(db, caller, id);
        Reply.CheckIfMatch(ctx, "image", ImageView.Of(image, catalog));
        image.Name = name ?? image.Name;
        image.Description = description ?? image.Description;
        var view = ImageView.Of(image, catalog);
        await db.Write(async (c, t) =>
        {
            await ImagesSql.Update(c, t, image);
            await Work.Events.Record(c, t, caller.AccountId, "image.updated", "image", image.Id, view, Clock.Stored(time.GetUtcNow()));
        });
        return Reply.One("image", view);
    }

    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, Catalog catalog, TimeProvider time)
    {
        var image = await Own(db, caller, id);
        Reply.CheckIfMatch(ctx, "image", ImageView.Of(image, catalog));
        await db.Write(async (c, t) =>
        {
            if (await ImagesSql.Delete(c, t, caller.AccountId, image.Id) > 0)
                await Work.Events.Record(c, t, caller.AccountId, "image.deleted", "image", image.Id, null, Clock.Stored(time.GetUtcNow()));
        });
        return Reply.NoContent();
    }
}
