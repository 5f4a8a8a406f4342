using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Http;

/// <summary>
/// Finds the caller from HTTP Basic (password, or a token as the password) or a Bearer token.
/// A verified password is remembered by a keyed hash of the credentials together with the stored
/// password hash it matched, so the slow hash runs once per password change, not once per request.
/// </summary>
public sealed class Authentication(Db db, TimeProvider time)
{
    readonly byte[] cacheKey = RandomNumberGenerator.GetBytes(32);
    readonly ConcurrentDictionary<string, string> verifiedPasswords = new();

    public async Task<Caller?> Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0 || !AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is null)
            return null;
        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return await ByToken(value.Parameter);
        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
            return null;
        var (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return password.StartsWith(Secrets.TokenPrefix, StringComparison.Ordinal)
            ? await ByToken(password)
            : await ByPassword(username, password);
    }

    async Task<Caller?> ByToken(string secret)
    {
        await using var c = db.Open();
        var token = await TokensSql.BySecretHash(c, Secrets.HashToken(secret));
        if (token is null || (token.ExpiresAt is { } expires && string.CompareOrdinal(expires, Clock.Stored(time.GetUtcNow())) <= 0))
            return null;
        var user = await UsersSql.ById(c, token.UserId);
        if (user is null)
            return null;
        var scopes = token.Scopes.Split(',').Where(s => s != Scopes.Admin || user.IsAdmin).ToArray();
        return new Caller(user.Id, user.Username, user.IsAdmin, scopes);
    }

    async Task<Caller?> ByPassword(string username, string password)
    {
        if (username.Length > 64 || password.Length > 1024)
            return null;
        UserRow? user;
        await using (var c = db.Open())
            user = await UsersSql.ByUsername(c, username);
        var key = Convert.ToHexString(HMACSHA256.HashData(cacheKey, Encoding.UTF8.GetBytes(username + "\0" + password)));
        if (user is not null && verifiedPasswords.TryGetValue(key, out var matched) && matched == user.PasswordHash)
            return new Caller(user.Id, user.Username, user.IsAdmin, Scopes.OfUser(user.IsAdmin));
        // Unknown users cost as much as wrong passwords, so timing does not tell which usernames exist.
        var ok = Secrets.VerifyPassword(password, user?.PasswordHash ?? Secrets.DecoyHash) && user is not null;
        if (!ok)
            return null;
        if (verifiedPasswords.Count > 10_000)
            verifiedPasswords.Clear();
        verifiedPasswords[key] = user!.PasswordHash;
        return new Caller(user.Id, user.Username, user.IsAdmin, Scopes.OfUser(user.IsAdmin));
    }

    /// <summary>Resolves the caller before rate limiting (which counts per caller), and enforces it after.</summary>
    public static async Task Identify(HttpContext ctx, RequestDelegate next)
    {
        var caller = await ctx.RequestServices.GetRequiredService<Authentication>().Authenticate(ctx.Request);
        if (caller is not null)
            ctx.Features.Set(caller);
        await next(ctx);
    }

    public static Task Authorize(HttpContext ctx, RequestDelegate next)
    {
        var endpoint = ctx.GetEndpoint();
        // No route (404) or routing's own 405 endpoint (a plain Endpoint): answered without credentials.
        if (endpoint is not RouteEndpoint || endpoint.Metadata.GetMetadata<PublicRoute>() is not null)
            return next(ctx);
        var caller = ctx.Features.Get<Caller>() ?? throw ApiError.Unauthorized();
        var writes = !HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method);
        if (writes && !caller.Can(Scopes.Write))
            throw ApiError.Forbidden();
        if (endpoint.Metadata.GetMetadata<AdminRoute>() is not null && !caller.Can(Scopes.Admin))
            throw ApiError.Forbidden();
        return next(ctx);
    }
}
