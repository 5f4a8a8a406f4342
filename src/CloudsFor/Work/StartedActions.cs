using System.Data.Common;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// An accepted action of any resource: the in-progress row and its action.started event, written in the caller's
/// transaction so the action is durable the moment the request is answered.
/// </summary>
public static class StartedActions
{
    public static async Task<ActionRow> Insert(DbConnection c, DbTransaction t, Ids ids, string accountId, string resourceId, string resourceType,
        string type, string region, ActionParams parameters, string now)
    {
        var action = new ActionRow
        {
            Id = ids.New(), AccountId = accountId, ResourceId = resourceId, ResourceType = resourceType, Type = type,
            Status = ActionStatus.InProgress, Params = parameters.ToJson(), RegionSlug = region, StartedAt = now,
        };
        await ActionsSql.Insert(c, t, action);
        await Events.Action(c, t, action, now, started: true);
        return action;
    }
}
