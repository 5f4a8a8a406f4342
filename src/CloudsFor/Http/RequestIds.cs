using System.Text.RegularExpressions;

namespace CloudsFor.Http;

/// <summary>X-Request-Id on every response: the client's own if it is sane, else a new one.</summary>
public static partial class RequestIds
{
    const string Header = "X-Request-Id";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex Sane();

    public static Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        var given = ctx.Request.Headers[Header].ToString();
        var id = Sane().IsMatch(given) ? given : Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        ctx.Items[Header] = id;
        ctx.Response.OnStarting(() =>
        {
            ctx.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        return next(ctx);
    }

    public static string Of(HttpContext ctx) => ctx.Items[Header] as string ?? "";
}
