using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;
using Microsoft.AspNetCore.Mvc;

namespace CloudsFor.Api;

/// <summary>API tokens of the caller's own user. The secret is shown once, at creation; only its hash is kept.</summary>
public static class TokensApi
{
    static readonly string[] ReadOnly = ["id", "scopes", "created_at", "expires_at", "token"];

    public static void MapTokensApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/tokens", List);
        api.MapPost("/tokens", Create);
        api.MapRead("/tokens/{id}", Get);
        api.MapPut("/tokens/{id}", Update);
        api.MapDelete("/tokens/{id}", Delete);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var (total, rows) = await db.Read(async c =>
            (await TokensSql.Count(c, caller.UserId), await TokensSql.Page(c, caller.UserId, page.Offset, page.PerPage)));
        return Reply.Page(request, "tokens", rows.Select(TokenView.Of).ToList(), total, page);
    }

    static async Task<TokenRow> Find(Db db, Caller caller, string id) =>
        await db.Read(c => TokensSql.ById(c, caller.UserId, id)) ?? throw ApiError.NotFound();

    static async Task<IResult> Get(string id, Caller caller, Db db) => Reply.One("token", TokenView.Of(await Find(db, caller, id)));

    static async Task<IResult> Create(JsonBody body, HttpContext ctx, Caller caller, Db db, Ids ids, ServerKey serverKey, TimeProvider time)
    {
        body.Allow(["name", "scopes", "expires_in_seconds"], ReadOnly);
        var name = body.String("name", required: true);
        var scopes = body.Strings("scopes", required: true, maxItems: 3);
        var expiresIn = body.Integer("expires_in_seconds", 60, 365L * 24 * 3600);
        if (scopes is { Count: 0 })
            body.Error("scopes", "must name at least one of read, write, admin");
        else if (scopes?.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } unknown)
            body.Error("scopes", $"'{unknown}' is not a scope; use read, write or admin");
        else if (scopes?.Contains(Scopes.Admin) == true && !caller.Can(Scopes.Admin))
            body.Error("scopes", "only operators may create admin tokens");
        body.ThrowIfInvalid();

        var secret = Secrets.NewTokenSecret();
        var now = time.GetUtcNow();
        var token = new TokenRow
        {
            Id = ids.New(), UserId = caller.UserId, Name = name!, Scopes = string.Join(',', Scopes.All.Where(scopes!.Contains)),
            SecretHash = Secrets.HashToken(serverKey, secret), CreatedAt = Clock.Stored(now),
            ExpiresAt = expiresIn is { } seconds ? Clock.Stored(now.AddSeconds(seconds)) : null,
        };
        var view = TokenView.Of(token);
        await db.Write(async (c, t) =>
        {
            await TokensSql.Insert(c, t, token);
            await Events.Record(c, t, caller.AccountId, "token.created", "token", token.Id, view, token.CreatedAt);
        });
        // The secret is shown once: a retry with the same Idempotency-Key learns the token exists, not its secret.
        Idempotency.ReplayAs(ctx, new TokenReplay(new NewTokenView(view.Id, view.Name, view.Scopes, view.CreatedAt, view.ExpiresAt, null), TokenReplay.Why));
        return Reply.Created("token", new NewTokenView(view.Id, view.Name, view.Scopes, view.CreatedAt, view.ExpiresAt, secret), $"/api/v1/tokens/{token.Id}");
    }

    static async Task<IResult> Update(string id, JsonBody body, HttpContext ctx, Caller caller, Db db, TimeProvider time)
    {
        body.Allow(["name"], ReadOnly);
        var name = body.String("name", required: true);
        body.ThrowIfInvalid();
        var token = await Find(db, caller, id);
        Reply.CheckIfMatch(ctx, "token", TokenView.Of(token));
        token.Name = name!;
        await db.Write(async (c, t) =>
        {
            await TokensSql.Rename(c, t, caller.UserId, id, name!);
            await Events.Record(c, t, caller.AccountId, "token.updated", "token", id, TokenView.Of(token), Clock.Stored(time.GetUtcNow()));
        });
        return Reply.One("token", TokenView.Of(token));
    }

    static async Task<IResult> Delete(string id, HttpContext ctx, Caller caller, Db db, TimeProvider time, [FromServices] Authentication authentication)
    {
        Reply.CheckIfMatch(ctx, "token", TokenView.Of(await Find(db, caller, id)));
        await db.Write(async (c, t) =>
        {
            if (await TokensSql.Delete(c, t, caller.UserId, id) > 0)
                await Events.Record(c, t, caller.AccountId, "token.deleted", "token", id, null, Clock.Stored(time.GetUtcNow()));
        });
        authentication.Forget();
        return Reply.NoContent();
    }
}
