using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Http;

/// <summary>
/// Finds the caller from HTTP Basic (password, or a token as the password) or a Bearer token.
/// A credential that verified is remembered for a few seconds, keyed by a keyed hash of the whole
/// Authorization header, so neither the slow password hash nor a store lookup runs on every request.
/// When that time is up, a password is checked again against the stored hash it matched: if that hash is
/// unchanged, the slow hash need not run again. Failures are never remembered: every wrong password costs
/// the full hash, for known and unknown users alike. A remembered token never outlives its expiry, and deleting a token or a user forgets
/// every remembered credential at once (<see cref="Forget"/>); anything else that changes what a
/// credential grants must call it too. Another server sharing the store notices within RememberFor.
/// Guessing is slowed and then stopped per username and per address by <see cref="SignInThrottle"/>, before any hash
/// runs; a lock refuses even a remembered password of that username (a refusal is kept in the request's features,
/// answered as a 429 by <see cref="Authorize"/>, after rate limiting has added its headers).
/// </summary>
public sealed class Authentication(Db db, ServerKey serverKey, SignInThrottle throttle, Sessions sessions, TimeProvider time)
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(5);
    const int MaxRemembered = 10_000;
    // Longer than any username the API accepts (32): such sign-ins fail without a look-up.
    const int MaxUsername = 64;

    /// <summary>A verified credential; for a password, the stored hash it matched.</summary>
    sealed record Remembered(Caller Caller, DateTimeOffset Until, string? PasswordHash = null);

    /// <summary>How a verification ended: a credential that verified, or a refusal by the throttle (neither: it failed).</summary>
    sealed record Outcome(Remembered? Verified, SignInRefusal? Refusal = null);

    /// <summary>The keyed hash of a credential, the only form in which it is remembered.</summary>
    readonly record struct CredentialHash(ulong A, ulong B, ulong C, ulong D);

    // A key of the process's own (nothing outlives it), and one keyed hasher per thread, reset after each use: a
    // one-shot HMAC looked up the digest and set up its context again on every request.
    static readonly byte[] CacheKey = RandomNumberGenerator.GetBytes(32);
    static readonly ThreadLocal<IncrementalHash> Hashers = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, CacheKey));
    readonly ConcurrentDictionary<CredentialHash, Remembered> verified = new();
    // Verifications under way: concurrent requests with one credential (a client's burst after a restart) share one hash.
    readonly ConcurrentDictionary<CredentialHash, Lazy<Task<Outcome>>> verifying = new();
    long generation;

    public async Task<Caller?> Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        // A browser session only when no credential is given: a script's Authorization header wins over the cookie.
        if (header.Length == 0 && request.Cookies[Sessions.CookieName] is { } cookie)
            return await BySession(request, cookie);
        if (header.Length == 0 || header.Length > 8192)
            return null;
        var key = HashOf(header);
        var now = time.GetUtcNow();
        verified.TryGetValue(key, out var remembered);
        if (remembered is not null && remembered.Until > now)
        {
            if (throttle.AnyLocked && throttle.Refusal(remembered.PasswordHash is null ? null : remembered.Caller.Username, AddressOf(request)) is { } locked)
            {
                request.HttpContext.Features.Set(locked);
                return null;
            }
            return remembered.Caller;
        }
        // A verification that read the store before a Forget() must not be remembered after it.
        var before = Interlocked.Read(ref generation);
        var verification = verifying.GetOrAdd(key, _ => new(() => Verify(header, AddressOf(request), now, remembered)));
        Outcome outcome;
        try
        {
            outcome = await verification.Value;
        }
        finally
        {
            verifying.TryRemove(KeyValuePair.Create(key, verification));
        }
        if (outcome.Verified is not { } result)
        {
            verified.TryRemove(key, out _);
            if (outcome.Refusal is not null)
                request.HttpContext.Features.Set(outcome.Refusal);
            return null;
        }
        if (verified.Count >= MaxRemembered)
            verified.Clear();
        verified[key] = result;
        if (Interlocked.Read(ref generation) != before)
            verified.TryRemove(key, out _);
        return result.Caller;
    }

    CredentialHash HashOf(string header)
    {
        var hasher = Hashers.Value!;
        hasher.AppendData(MemoryMarshal.AsBytes(header.AsSpan()));
        Span<byte> hash = stackalloc byte[32];
        hasher.GetHashAndReset(hash);
        var words = MemoryMarshal.Cast<byte, ulong>(hash);
        return new CredentialHash(words[0], words[1], words[2], words[3]);
    }

    // Formatted only when a sign-in is checked or a lock is in force: not on the common path of a remembered credential.
    static string AddressOf(HttpRequest request) => request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "";

    /// <summary>Forgets every remembered credential: the next request of each is verified against the store again.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        verifying.Clear();
        verified.Clear();
        sessions.Forget();
    }

    async Task<Caller?> BySession(HttpRequest request, string secret)
    {
        var found = await sessions.Find(secret);
        if (found is not { } session)
            return null;
        request.HttpContext.Features.Set(session.Session);
        return session.Caller;
    }

    /// <summary>
    /// Checks a username and password for a sign-in to the panel, throttled exactly as Basic auth is: a lock is a 429
    /// with Retry-After, and null means the password did not verify.
    /// </summary>
    public async Task<Caller?> SignIn(string username, string password, HttpRequest request)
    {
        var (attempt, refusal) = throttle.Begin(username.Length <= MaxUsername ? username : null, AddressOf(request));
        if (attempt is null)
            throw ApiError.SignInLocked(refusal!.RetryAfterSeconds);
        Remembered? result = null;
        try
        {
            if (attempt.Delay > TimeSpan.Zero)
                await Task.Delay(attempt.Delay, time);
            result = await ByPassword(username, password, time.GetUtcNow(), null);
        }
        finally
        {
            if (result is null)
                attempt.Failed();
            else
                attempt.Succeeded();
        }
        return result?.Caller;
    }

    async Task<Outcome> Verify(string header, string address, DateTimeOffset now, Remembered? before)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is null)
            return new Outcome(null);
        string? username = null, password = null;
        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            }
            catch (FormatException)
            {
                return new Outcome(null);
            }
            var colon = decoded.IndexOf(':');
            if (colon < 0)
                return new Outcome(null);
            (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        else if (!value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return new Outcome(null);
        // A token (as Bearer or as the Basic password) is guessed per address only: the username beside it means nothing.
        var token = password is null ? value.Parameter : password.StartsWith(Secrets.TokenPrefix, StringComparison.Ordinal) ? password : null;

        // Names longer than any user's are counted per address only, so they cannot fill memory.
        var (attempt, refusal) = throttle.Begin(token is null && username!.Length <= MaxUsername ? username : null, address);
        if (attempt is null)
            return new Outcome(null, refusal);
        Remembered? result = null;
        try
        {
            if (attempt.Delay > TimeSpan.Zero)
                await Task.Delay(attempt.Delay, time);
            result = token is not null ? await ByToken(token, now) : await ByPassword(username!, password!, now, before?.PasswordHash);
        }
        finally
        {
            if (result is null)
                attempt.Failed();
            else
                attempt.Succeeded();
        }
        return new Outcome(result);
    }

    async Task<Remembered?> ByToken(string secret, DateTimeOffset now)
    {
        var hash = Secrets.HashToken(serverKey, secret);
        var token = await db.Read(c => TokensSql.OwnerBySecretHash(c, hash));
        if (token is null && await db.Read(c => TokensSql.OwnerBySecretHash(c, Secrets.UnkeyedTokenHash(secret))) is { } older)
        {
            await db.Write((c, t) => TokensSql.Rehash(c, t, Secrets.UnkeyedTokenHash(secret), hash));
            token = older;
        }
        var expires = token?.ExpiresAt is { } stored ? DateTimeOffset.Parse(stored, System.Globalization.CultureInfo.InvariantCulture) : DateTimeOffset.MaxValue;
        if (token is null || expires <= now)
            return null;
        var scopes = token.Scopes.Split(',').Where(s => s != Scopes.Admin || token.IsAdmin).ToArray();
        var until = now + RememberFor < expires ? now + RememberFor : expires;
        return new Remembered(new Caller(token.UserId, token.Username, token.IsAdmin, scopes), until);
    }

    /// <param name="matchedBefore">The stored hash this very password matched when it was last verified, if it was.</param>
    async Task<Remembered?> ByPassword(string username, string password, DateTimeOffset now, string? matchedBefore)
    {
        if (username.Length > MaxUsername || password.Length > 1024)
            return null;
        var user = await db.Read(c => UsersSql.ByUsername(c, username));
        // Unknown users cost as much as wrong passwords, so timing does not tell which usernames exist.
        var ok = (user is not null && user.PasswordHash == matchedBefore)
                 || (Secrets.VerifyPassword(password, user?.PasswordHash ?? Secrets.DecoyHash) && user is not null);
        return ok
            ? new Remembered(new Caller(user!.Id, user.Username, user.IsAdmin, Scopes.OfUser(user.IsAdmin)), now + RememberFor, user.PasswordHash)
            : null;
    }

    /// <summary>Resolves the caller before rate limiting (which counts per caller), and enforces it after.</summary>
    public static Task Identify(HttpContext ctx, RequestDelegate next)
    {
        var authenticating = ctx.RequestServices.GetRequiredService<Authentication>().Authenticate(ctx.Request);
        // A remembered credential is known at once: no await, so no state machine, on the common path.
        if (!authenticating.IsCompletedSuccessfully)
            return Identified(ctx, next, authenticating);
        if (authenticating.Result is { } caller)
            ctx.Features.Set(caller);
        return next(ctx);
    }

    static async Task Identified(HttpContext ctx, RequestDelegate next, Task<Caller?> authenticating)
    {
        if (await authenticating is { } caller)
            ctx.Features.Set(caller);
        await next(ctx);
    }

    public static Task Authorize(HttpContext ctx, RequestDelegate next)
    {
        var endpoint = ctx.GetEndpoint();
        // No route (404) or routing's own 405 endpoint (a plain Endpoint): answered without credentials.
        if (endpoint is not RouteEndpoint || endpoint.Metadata.GetMetadata<PublicRoute>() is not null)
            return next(ctx);
        if (ctx.Features.Get<SignInRefusal>() is { } refused)
            throw ApiError.SignInLocked(refused.RetryAfterSeconds);
        var caller = ctx.Features.Get<Caller>() ?? throw ApiError.Unauthorized();
        var writes = !HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method);
        if (ctx.Features.Get<BrowserSession>() is { } session)
            SessionGuard.Check(ctx.Request, session, writes);
        if (writes && !caller.Can(Scopes.Write))
            throw ApiError.Forbidden();
        if (endpoint.Metadata.GetMetadata<AdminRoute>() is not null && !caller.Can(Scopes.Admin))
            throw ApiError.Forbidden();
        return next(ctx);
    }
}
