using CloudsFor.Http;
using Microsoft.AspNetCore.Mvc;

namespace CloudsFor.Api;

public sealed record SessionView(string Id, string Username, bool IsAdmin, string ExpiresAt, string IdleExpiresAt, string? CsrfToken)
{
    public static SessionView Of(BrowserSession s, Caller c) =>
        new(s.Id, c.Username, c.IsAdmin, Shown(s.ExpiresAt), Shown(s.IdleExpiresAt), s.CsrfToken);

    static string Shown(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Browser sessions of the control panel: sign in with a username and password (throttled like Basic auth), who am I,
/// sign out. The session's secret travels only in an HttpOnly cookie; scripts see its anti-forgery token instead.
/// </summary>
public static class SessionsApi
{
    const string Current = "/api/v1/sessions/current";

    public static void MapSessionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/sessions", SignIn).WithMetadata(PublicRoute.Instance);
        api.MapRead("/sessions/current", Get);
        api.MapDelete("/sessions/current", SignOut);
    }

    static async Task<IResult> SignIn(JsonBody body, HttpContext ctx, [FromServices] Authentication authentication, [FromServices] Sessions sessions)
    {
        // A page elsewhere must not sign the browser in as someone else (login forgery).
        SessionGuard.RequireOwnOrigin(ctx.Request);
        body.Allow(["username", "password"], ["id", "expires_at", "idle_expires_at", "csrf_token", "is_admin"]);
        var username = body.String("username", required: true, maxLength: 1024);
        var password = body.String("password", required: true, maxLength: 1024);
        body.ThrowIfInvalid();
        var caller = await authentication.SignIn(username!, password!, ctx.Request) ?? throw ApiError.Unauthorized();
        var (session, secret) = await sessions.Start(caller);
        ctx.Response.Cookies.Append(Sessions.CookieName, secret, Cookie());
        var view = SessionView.Of(session, caller);
        Idempotency.ReplayAs(ctx, new Dictionary<string, object> { ["session"] = view with { CsrfToken = null } });
        return Reply.Created("session", view, Current);
    }

    static IResult Get(HttpContext ctx, Caller caller) => Reply.One("session", SessionView.Of(Of(ctx), caller));

    static async Task<IResult> SignOut(HttpContext ctx, [FromServices] Sessions sessions)
    {
        await sessions.End(Of(ctx));
        ctx.Response.Cookies.Delete(Sessions.CookieName, Cookie());
        return Reply.NoContent();
    }

    /// <summary>The current session is the cookie's: a caller with Basic or Bearer credentials has none.</summary>
    static BrowserSession Of(HttpContext ctx) => ctx.Features.Get<BrowserSession>() ?? throw ApiError.NotFound();

    static CookieOptions Cookie() => new() { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true };
}
