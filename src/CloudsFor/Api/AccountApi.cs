using CloudsFor.Http;
using CloudsFor.Store;

namespace CloudsFor.Api;

public sealed record AccountView(string Uuid, string Username, string Email, string Status, int VmLimit, AccountUsage Usage);

public sealed record AccountUsage(long Vms, long Vcpus, long Memory, long Disk);

public static class AccountApi
{
    public static void MapAccountApi(this IEndpointRouteBuilder api) => api.MapRead("/account", Get);

    static async Task<IResult> Get(Caller caller, Db db)
    {
        var (user, count, usage) = await db.Read(async c => (
            await UsersSql.ById(c, caller.AccountId),
            await VmsSql.CountOfAccount(c, caller.AccountId),
            await VmsSql.UsageOfAccount(c, caller.AccountId)));
        if (user is null)
            throw ApiError.Unauthorized();
        return Reply.One("account", new AccountView(user.Id, user.Username, user.Email, "active", user.VmLimit,
            new AccountUsage(count, usage.Vcpus, usage.Memory, usage.Disk)));
    }
}
