using System.Reflection;

namespace CloudsFor.Http;

/// <summary>Who is asking: the user (its account) and the scopes of the credential used.</summary>
public sealed record Caller(string UserId, string Username, bool IsAdmin, IReadOnlyCollection<string> Scopes)
{
    public string AccountId => UserId;

    public bool Can(string scope) => Scopes.Contains(scope);

    /// <summary>Lets a handler take the authenticated caller as a parameter.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext ctx, ParameterInfo _) =>
        ValueTask.FromResult<Caller?>(ctx.Features.Get<Caller>() ?? throw ApiError.Unauthorized());
}

/// <summary>Endpoint metadata: this route needs no credentials (the OpenAPI document).</summary>
public sealed class PublicRoute
{
    public static readonly PublicRoute Instance = new();
}

/// <summary>Endpoint metadata: only operators (admin scope) may call this route.</summary>
public sealed class AdminRoute
{
    public static readonly AdminRoute Instance = new();
}
