using CloudsFor.Http;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>POST /volumes/{id}/actions and /volumes/actions (by name and region): attach, detach and resize, each a durable action.</summary>
public static class VolumeActionsApi
{
    public static void MapVolumeActionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/volumes/actions", ByName);
        api.MapPost("/volumes/{id}/actions", (string id, JsonBody body, Caller caller, VolumeIntake intake) =>
            Request(new VolumeIntake.Reference(id), body, caller, intake, []));
        api.MapRead("/volumes/{id}/actions", async (string id, HttpRequest request, Caller caller, Db db) =>
        {
            if (await db.Read(c => VolumesSql.Find(c, caller.AccountId, id)) is null)
                throw ApiError.NotFound();
            return await ActionsApi.List(request, caller, db, id);
        });
        api.MapRead("/volumes/{id}/actions/{actionId}", async (string id, string actionId, Caller caller, Db db) =>
        {
            var action = await db.Read(c => ActionsSql.Find(c, caller.AccountId, actionId));
            return action is null || action.ResourceId != id ? throw ApiError.NotFound() : Reply.One("action", ActionView.Of(action));
        });
    }

    static Task<IResult> ByName(JsonBody body, Caller caller, VolumeIntake intake)
    {
        var name = body.String("volume_name", required: true, maxLength: 64);
        var region = body.String("region", required: true);
        var reference = new VolumeIntake.Reference(null, name, region);
        return Request(reference, body, caller, intake, ["volume_name", "region"]);
    }

    static async Task<IResult> Request(VolumeIntake.Reference reference, JsonBody body, Caller caller, VolumeIntake intake, string[] naming)
    {
        var type = body.String("type", required: true);
        if (type is not null && !VolumeIntake.Requestable.Contains(type))
            body.Error("type", $"'{type}' is not a volume action; use one of {string.Join(", ", VolumeIntake.Requestable)}");
        if (type is null || !VolumeIntake.Requestable.Contains(type))
            body.ThrowIfInvalid(); // the parameters depend on the type: nothing more to check without one
        ActionParams parameters;
        switch (type)
        {
            case "attach":
                body.Allow(["type", "vm_id", .. naming]);
                parameters = new ActionParams(VmId: body.String("vm_id", required: true));
                break;
            case "detach":
                body.Allow(["type", "vm_id", .. naming]);
                parameters = new ActionParams(VmId: body.String("vm_id"));
                break;
            default:
                body.Allow(["type", "size_gigabytes", .. naming]);
                parameters = new ActionParams(SizeGigabytes: (int?)body.Integer("size_gigabytes", 1, Model.Volumes.MaxSizeGigabytes, required: true));
                break;
        }
        body.ThrowIfInvalid();
        var action = await intake.Request(caller, reference, type!, parameters);
        return Reply.Created("action", ActionView.Of(action), $"/api/v1/actions/{action.Id}");
    }
}
