using CloudsFor.Http;
using CloudsFor.Store;

namespace CloudsFor.Api;

public sealed record AccountView(string Uuid, string Username, string Email, string Status, int VmLimit, int VolumeLimit, long VolumeGigabytesLimit,
    AccountUsage Usage);

public sealed record AccountUsage(long Vms, long Vcpus, long Memory, long Disk, long Volumes, long VolumeGigabytes);

public static class AccountApi
{
    public static void MapAccountApi(this IEndpointRouteBuilder api) => api.MapRead("/account", Get);

    static async Task<IResult> Get(Caller caller, Db db)
    {
        var (user, count, usage, volumes) = await db.Read(async c => (
            await UsersSql.ById(c, caller.AccountId),
            await VmsSql.CountOfAccount(c, caller.AccountId),
            await VmsSql.UsageOfAccount(c, caller.AccountId),
            await VolumesSql.UsageOfAccount(c, caller.AccountId)));
        if (user is null)
            throw ApiError.Unauthorized();
        return Reply.One("account", new AccountView(user.Id, user.Username, user.Email, "active", user.VmLimit, user.VolumeLimit,
            user.VolumeGigabytesLimit, new AccountUsage(count, usage.Vcpus, usage.Memory, usage.Disk, volumes.Count, volumes.Gigabytes)));
    }
}
