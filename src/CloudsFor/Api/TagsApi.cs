using System.Data.Common;
using System.Text.Json;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>
/// Tags of the caller's account, known by their name, and what carries them: VMs, images the account owns, domains and
/// volumes. Tagging or untagging a resource is an update of it (its *.updated event; a VM's ETag moves).
/// </summary>
public static class TagsApi
{
    const int MaxResources = 100;

    public static void MapTagsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/tags", List);
        api.MapPost("/tags", Create);
        api.MapRead("/tags/{name}", Get);
        api.MapDelete("/tags/{name}", Delete);
        api.MapPost("/tags/{name}/resources", TagResources);
        api.MapDelete("/tags/{name}/resources", UntagResources);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var (total, views) = await db.Read(async c =>
        {
            var tags = await TagsSql.Page(c, caller.AccountId, page.Offset, page.PerPage);
            var counts = await TagsSql.Counts(c, caller.AccountId, tags.Select(t => t.Name).ToList());
            return (await TagsSql.Count(c, caller.AccountId), tags.Select(t => TagView.Of(t.Name, counts)).ToList());
        });
        return Reply.Page(request, "tags", views, total, page);
    }

    /// <summary>The caller's tag by the name in the path; a name that breaks the rule is no tag either: 404.</summary>
    static async Task<TagView> Find(Db db, Caller caller, string name) =>
        await db.Read(async c => Tags.IsValid(name) && await TagsSql.Find(c, caller.AccountId, name) is not null
            ? TagView.Of(name, await TagsSql.Counts(c, caller.AccountId, [name]))
            : null) ?? throw ApiError.NotFound();

    static async Task<IResult> Get(string name, Caller caller, Db db) => Reply.One("tag", await Find(db, caller, name));

    static async Task<IResult> Create(JsonBody body, Caller caller, Db db, TimeProvider time)
    {
        body.Allow(["name"], "resources");
        var name = body.String("name", required: true);
        if (name is { Length: > 0 } && !Tags.IsValid(name))
            body.Error("name", $"'{name}' is not a valid tag ({Tags.Rule})");
        body.ThrowIfInvalid();
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            if (!await TagsSql.Insert(c, t, caller.AccountId, name!, now))
                throw ApiError.Conflict($"You already have a tag named '{name}'.");
            await TagWrites.Created(c, t, caller.AccountId, name!, now);
        });
        return Reply.Created("tag", await Find(db, caller, name!), $"{ApiRoutes.Prefix}/tags/{name}");
    }

    /// <summary>DigitalOcean's rule: deleting a tag takes it off everything that carries it.</summary>
    static async Task<IResult> Delete(string name, HttpContext ctx, Caller caller, Db db, Catalog catalog, TimeProvider time)
    {
        var tag = await Find(db, caller, name);
        Reply.CheckIfMatch(ctx, "tag", tag);
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            foreach (var (type, id) in await TagsSql.Tagged(c, t, caller.AccountId, name))
            {
                var resource = await TaggableResources.Find(c, t, caller.AccountId, type, id);
                await TagsSql.Untag(c, t, caller.AccountId, name, type, id);
                if (resource is not null)
                    await TaggableResources.Updated(c, t, resource, catalog, now);
            }
            if (await TagsSql.Delete(c, t, caller.AccountId, name) > 0)
                await Events.Record(c, t, caller.AccountId, "tag.deleted", "tag", name, null, now);
        });
        return Reply.NoContent();
    }

    static Task<IResult> TagResources(string name, JsonBody body, Caller caller, Db db, Catalog catalog, TimeProvider time) =>
        Change(name, body, caller, db, catalog, time, tag: true);

    static Task<IResult> UntagResources(string name, JsonBody body, Caller caller, Db db, Catalog catalog, TimeProvider time) =>
        Change(name, body, caller, db, catalog, time, tag: false);

    /// <summary>
    /// Tags (or untags) every resource listed, or none: one that is not the caller's, or not there, is a 422 naming the item,
    /// the same answer either way, so it tells nothing about other accounts.
    /// </summary>
    static async Task<IResult> Change(string name, JsonBody body, Caller caller, Db db, Catalog catalog, TimeProvider time, bool tag)
    {
        body.Allow(["resources"]);
        var items = ReadResources(body);
        body.ThrowIfInvalid();
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            if (!Tags.IsValid(name) || await TagsSql.Find(c, caller.AccountId, name, t) is null)
                throw ApiError.NotFound();
            var found = new List<TaggableResource>();
            var errors = new List<FieldError>();
            for (var i = 0; i < items.Count; i++)
            {
                var (type, id) = items[i];
                if (await TaggableResources.Find(c, t, caller.AccountId, type, id) is { } resource)
                    found.Add(resource);
                else
                    errors.Add(new FieldError("resources", $"item {i + 1}: {TaggableResources.Missing(type, id)}"));
            }
            if (errors.Count > 0)
                throw ApiError.Invalid(errors);
            foreach (var resource in found.DistinctBy(r => (r.Type, r.Id)))
            {
                var changed = tag
                    ? await TagsSql.Tag(c, t, caller.AccountId, name, resource.Type, resource.Id, now)
                    : await TagsSql.Untag(c, t, caller.AccountId, name, resource.Type, resource.Id);
                if (changed)
                    await TaggableResources.Updated(c, t, resource, catalog, now);
            }
        });
        return Reply.NoContent();
    }

    static List<(string Type, string Id)> ReadResources(JsonBody body)
    {
        var items = body.Objects("resources", required: true, maxItems: MaxResources);
        if (items is { Count: 0 })
            body.Error("resources", "must list at least one resource");
        var read = new List<(string, string)>();
        foreach (var (item, i) in (items ?? []).Select((item, i) => (item, i + 1)))
        {
            if (item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("resource_id" or "resource_type")) is { } unknown)
            {
                body.Error("resources", $"item {i}: '{unknown}' is not a known field here (resource_id, resource_type)");
                continue;
            }
            var id = Text(item, "resource_id");
            var type = Text(item, "resource_type");
            if (id is null)
                body.Error("resources", $"item {i}: resource_id is required, a non-empty string of at most 255 characters");
            if (type is null || !Tags.ResourceTypes.ContainsKey(type))
                body.Error("resources", $"item {i}: resource_type must be one of {string.Join(", ", Tags.ResourceTypes.Keys)}");
            else if (id is not null)
                read.Add((type, id));
        }
        return read;
    }

    static string? Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 255 } text
            && !text.Any(char.IsControl) ? text : null;
}
