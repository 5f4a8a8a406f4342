using CloudsFor.Http;
using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>Every action of the caller's account, newest last.</summary>
public static class ActionsApi
{
    public static void MapActionsApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/actions", (HttpRequest request, Caller caller, Db db) => List(request, caller, db, null));
        api.MapRead("/actions/{id}", Get);
    }

    public static async Task<IResult> List(HttpRequest request, Caller caller, Db db, string? resourceId)
    {
        var page = PageRequest.From(request);
        var (total, rows) = await db.Read(async c => (
            await ActionsSql.Count(c, caller.AccountId, resourceId),
            await ActionsSql.Page(c, caller.AccountId, resourceId, page.Offset, page.PerPage)));
        return Reply.Page(request, "actions", rows.Select(ActionView.Of).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Caller caller, Db db)
    {
        var action = await db.Read(c => ActionsSql.Find(c, caller.AccountId, id)) ?? throw ApiError.NotFound();
        return Reply.One("action", ActionView.Of(action));
    }
}
