using System.Text.RegularExpressions;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;
using Microsoft.AspNetCore.Mvc;

namespace CloudsFor.Api;

/// <summary>Operators manage users; each user is an account of its own.</summary>
public static partial class UsersApi
{
    public const int DefaultVmLimit = 100;

    [GeneratedRegex("^[a-z][a-z0-9_.-]{1,31}$")]
    private static partial Regex UsernamePattern();

    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithMetadata(AdminRoute.Instance);
        users.MapRead("", List);
        users.MapPost("", Create);
        users.MapRead("/{id}", Get);
        users.MapPut("/{id}", Update);
        users.MapDelete("/{id}", Delete);
    }

    static async Task<IResult> List(HttpRequest request, Db db)
    {
        var page = PageRequest.From(request);
        var (total, rows) = await db.Read(async c => (await UsersSql.Count(c), await UsersSql.Page(c, page.Offset, page.PerPage)));
        return Reply.Page(request, "users", rows.Select(UserView.Of).ToList(), total, page);
    }

    static async Task<IResult> Get(string id, Db db)
    {
        var user = await db.Read(c => UsersSql.ById(c, id)) ?? throw ApiError.NotFound();
        return Reply.One("user", UserView.Of(user));
    }

    static async Task<IResult> Create(JsonBody body, Db db, Ids ids, TimeProvider time)
    {
        body.Allow(["username", "password", "email", "vm_limit", "volume_limit", "volume_gigabytes_limit", "admin"], "id", "status", "created_at");
        var username = body.String("username", required: true, maxLength: 32);
        var password = body.String("password", required: true, maxLength: 1024);
        var email = body.String("email", required: true);
        var vmLimit = body.Integer("vm_limit", 0, 1_000_000) ?? DefaultVmLimit;
        var volumeLimit = body.Integer("volume_limit", 0, 1_000_000) ?? Volumes.DefaultLimit;
        var volumeGigabytesLimit = body.Integer("volume_gigabytes_limit", 0, 1_000_000_000) ?? Volumes.DefaultGigabytesLimit;
        var admin = body.Bool("admin") ?? false;
        if (username is not null && !UsernamePattern().IsMatch(username))
            body.Error("username", "must start with a lowercase letter and hold 2 to 32 of a-z, 0-9, '_', '.', '-'");
        if (password is not null && password.Length < 8)
            body.Error("password", "must be at least 8 characters");
        CheckEmail(body, email);
        body.ThrowIfInvalid();

        var user = new UserRow
        {
            Id = ids.New(), Username = username!, Email = email!, PasswordHash = Secrets.HashPassword(password!),
            IsAdmin = admin, VmLimit = (int)vmLimit, VolumeLimit = (int)volumeLimit, VolumeGigabytesLimit = volumeGigabytesLimit, CreatedAt = Clock.Stored(time.GetUtcNow()),
        };
        await db.Write(async (c, t) =>
        {
            if (await UsersSql.UsernameTaken(c, user.Username, t))
                throw ApiError.Conflict($"The username {user.Username} is taken.");
            await UsersSql.Insert(c, t, user);
        });
        return Reply.Created("user", UserView.Of(user), $"/api/v1/users/{user.Id}");
    }

    static void CheckEmail(JsonBody body, string? email)
    {
        if (email is not null && (!email.Contains('@') || email.Any(char.IsWhiteSpace)))
            body.Error("email", "must be an email address");
    }

    /// <summary>
    /// Changes what an operator set at creation: the limits, email and admin flag (username and password stay: one is the
    /// login's name, the other the user's own). A limit below what the account uses now is allowed, as on DigitalOcean:
    /// nothing is taken away, only new creates are refused until the usage is under it.
    /// </summary>
    static async Task<IResult> Update(string id, JsonBody body, HttpContext ctx, Caller caller, Db db, [FromServices] Authentication authentication)
    {
        body.Allow(["email", "admin", "vm_limit", "volume_limit", "volume_gigabytes_limit"], "id", "username", "status", "created_at");
        var email = body.String("email");
        var admin = body.Bool("admin");
        var vmLimit = body.Integer("vm_limit", 0, 1_000_000);
        var volumeLimit = body.Integer("volume_limit", 0, 1_000_000);
        var volumeGigabytesLimit = body.Integer("volume_gigabytes_limit", 0, 1_000_000_000);
        CheckEmail(body, email);
        if (admin == false && id == caller.UserId)
            body.Error("admin", "you cannot take the admin flag from your own user");
        body.ThrowIfInvalid();
        var changed = await db.Write(async (c, t) =>
        {
            var user = await UsersSql.ById(c, id, t) ?? throw ApiError.NotFound();
            Reply.CheckIfMatch(ctx, "user", UserView.Of(user));
            var next = new UserRow
            {
                Id = user.Id, Username = user.Username, PasswordHash = user.PasswordHash, CreatedAt = user.CreatedAt,
                Email = email ?? user.Email, IsAdmin = admin ?? user.IsAdmin, VmLimit = (int)(vmLimit ?? user.VmLimit),
                VolumeLimit = (int)(volumeLimit ?? user.VolumeLimit), VolumeGigabytesLimit = volumeGigabytesLimit ?? user.VolumeGigabytesLimit,
            };
            await UsersSql.Update(c, t, next);
            return (User: next, AdminChanged: user.IsAdmin != next.IsAdmin);
        });
        // The admin flag is read when a credential is verified: remembered ones must be verified again.
        if (changed.AdminChanged)
            authentication.Forget();
        return Reply.One("user", UserView.Of(changed.User));
    }

    /// <summary>Removes the user, its tokens (at once) and its VMs (destroyed in the background).</summary>
    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, ActionIntake intake, [FromServices] Authentication authentication)
    {
        if (id == caller.UserId)
            throw ApiError.Invalid("id", "You cannot delete your own user.");
        var user = await db.Read(c => UsersSql.ById(c, id)) ?? throw ApiError.NotFound();
        Reply.CheckIfMatch(ctx, "user", UserView.Of(user));
        var owner = new Caller(user.Id, user.Username, user.IsAdmin, Scopes.OfUser(user.IsAdmin));
        await intake.DeleteAllOf(owner);
        await db.Write((c, t) => UsersSql.Delete(c, t, id));
        authentication.Forget();
        return Reply.NoContent();
    }
}
