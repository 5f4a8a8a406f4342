using CloudsFor.Compute;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

public sealed record ConsoleView(string VmId, int Lines, string Output);

/// <summary>POST /vms/{id}/actions and friends: each request becomes one durable action row.</summary>
public static class VmActionsApi
{
    public static void MapVmActionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/vms/actions", ForTag);
        api.MapPost("/vms/{id}/actions", Request);
        api.MapRead("/vms/{id}/actions", async (string id, HttpRequest request, Caller caller, Db db) =>
        {
            await EnsureVisible(db, caller, id);
            return await ActionsApi.List(request, caller, db, id);
        });
        api.MapRead("/vms/{id}/actions/{actionId}", async (string id, string actionId, Caller caller, Db db) =>
        {
            var action = await db.Read(c => ActionsSql.Find(c, caller.AccountId, actionId));
            return action is null || action.ResourceId != id ? throw ApiError.NotFound() : Reply.One("action", ActionView.Of(action));
        });
        api.MapRead("/vms/{id}/snapshots", Snapshots);
        api.MapRead("/vms/{id}/console", Console);
    }

    /// <summary>
    /// The tail of the VM's serial console (?lines=, default 100, at most 5000). A read of the
    /// driver's log file, not a change, so it does not go through an action.
    /// </summary>
    static async Task<IResult> Console(string id, HttpRequest request, Caller caller, Db db, IComputeDriver driver)
    {
        await EnsureVisible(db, caller, id);
        var text = request.Query["lines"].ToString();
        var lines = 100;
        if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, null, out lines) || lines < 1 || lines > 5000))
            throw ApiError.BadRequest("The query parameter lines must be a whole number from 1 to 5000.");
        var output = await driver.ConsoleTail(id, lines, request.HttpContext.RequestAborted);
        return Reply.One("console", new ConsoleView(id, lines, output));
    }

    static async Task EnsureVisible(Db db, Caller caller, string id)
    {
        if (await db.Read(c => VmsSql.VersionOf(c, caller.AccountId, id)) is null)
            throw ApiError.NotFound();
    }

    static async Task<IResult> Request(string id, JsonBody body, Caller caller, Db db, Catalog catalog, Ids ids, ActionIntake intake)
    {
        var type = ReadType(body);
        ActionParams parameters;
        switch (type)
        {
            case "rename":
                body.Allow(["type", "name"]);
                var name = body.String("name", required: true);
                if (name is not null && !Hostnames.IsValid(name))
                    body.Error("name", $"'{name}' is not a valid hostname");
                parameters = new ActionParams(Name: name);
                break;
            case "resize":
                body.Allow(["type", "size", "disk"]);
                var slug = body.String("size", required: true);
                var disk = body.Bool("disk") ?? false;
                if (slug is not null && catalog.FindSize(slug) is null)
                    body.Error("size", $"'{slug}' is not a size; GET /sizes lists them");
                parameters = new ActionParams(SizeSlug: slug, Disk: disk);
                break;
            case "rebuild":
                body.Allow(["type", "image", "ssh_keys"]);
                var imageRef = body.String("image", required: true);
                var image = imageRef is null ? null : await db.Read(c => ImagesSql.Find(c, caller.AccountId, imageRef));
                if (imageRef is not null && image is null)
                    body.Error("image", $"'{imageRef}' is not an image you can use");
                // Without ssh_keys the VM keeps the keys it has.
                var keys = body.Strings("ssh_keys", maxItems: 20, maxLength: 16 * 1024);
                parameters = new ActionParams(ImageId: image?.Id,
                    SshKeys: keys is null ? null : await SshKeysApi.Resolve(body, "ssh_keys", keys, caller, db));
                break;
            case "snapshot":
                body.Allow(["type", "name"]);
                parameters = new ActionParams(Name: body.String("name"), SnapshotId: ids.New());
                break;
            default:
                body.Allow(["type"]);
                parameters = new ActionParams();
                break;
        }
        body.ThrowIfInvalid();
        if (parameters.Name is null && type == "snapshot")
            parameters = parameters with { Name = await SnapshotName(db, caller, id) };
        var action = await intake.Request(caller, id, type, parameters);
        return Reply.Created("action", ActionView.Of(action), $"/api/v1/actions/{action.Id}");
    }

    static async Task<string> SnapshotName(Db db, Caller caller, string vmId)
    {
        var vm = await db.Read(c => VmsSql.Find(c, caller.AccountId, vmId)) ?? throw ApiError.NotFound();
        return $"{vm.Name}-snapshot";
    }

    static string ReadType(JsonBody body)
    {
        var type = body.String("type", required: true);
        if (type is not null && !VmActionType.Requestable.Contains(type))
            body.Error("type", $"'{type}' is not an action; use one of {string.Join(", ", VmActionType.Requestable)}");
        if (type is null || !VmActionType.Requestable.Contains(type))
            body.ThrowIfInvalid(); // the parameters depend on the type: nothing more to check without one
        return type!;
    }

    static async Task<IResult> ForTag(HttpRequest request, JsonBody body, Caller caller, ActionIntake intake)
    {
        var tag = Tags.Filter(request) ?? throw ApiError.BadRequest("POST /vms/actions needs ?tag_name= to say which VMs to act on.");
        body.Allow(["type"]);
        var type = ReadType(body);
        if (!VmActionType.All[type].ByTag)
            throw ApiError.Invalid("type", $"{type} cannot be applied by tag; use one of {string.Join(", ", VmActionType.All.Values.Where(t => t.ByTag).Select(t => t.Name))}");
        var actions = await intake.RequestForTag(caller, tag, type);
        return Reply.Many("actions", actions.Select(ActionView.Of).ToList(), 201);
    }

    static async Task<IResult> Snapshots(string id, HttpRequest request, Caller caller, Db db, Catalog catalog)
    {
        await EnsureVisible(db, caller, id);
        var page = PageRequest.From(request);
        var where = ImagesSql.Filter("snapshot", privateOnly: true) + " AND vm_id = @vmId";
        var args = new { accountId = caller.AccountId, type = "snapshot", vmId = id, offset = page.Offset, limit = page.PerPage };
        var (total, rows) = await db.Read(async c => (await ImagesSql.Count(c, where, args), await ImagesSql.Page(c, where, args)));
        return Reply.Page(request, "snapshots", rows.Select(i => ImageView.Of(i, catalog)).ToList(), total, page);
    }
}
