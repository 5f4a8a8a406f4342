using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Http;

/// <summary>
/// Idempotency-Key on POST: the first answer (below 500) is stored with a fingerprint of the request; a
/// retry with the same key and body gets that answer again, and the same key with another request
/// is a 409. Keys are per account and kept 24 hours. The answer is saved after the work's own commit, so every write of
/// the work also records the key (<see cref="IdempotencyClaim"/>): when the answer is lost in between, a retry is a 409
/// that says so, never the work done twice.
/// Nothing secret rests in the store: the fingerprint is keyed with the server key (a body may hold a
/// password, and a plain hash of it could be tested against guesses), and an answer that shows a secret once
/// leaves a replay body without it (<see cref="ReplayAs"/>).
/// </summary>
public sealed class Idempotency(Db db, ServerKey serverKey, TimeProvider time)
{
    const string Header = "Idempotency-Key";
    readonly ConcurrentDictionary<string, SemaphoreSlim> inFlight = new();

    /// <summary>What a replay answers instead of the first body.</summary>
    sealed record ReplayBody(byte[] Json);

    /// <summary>Called by a handler whose answer shows a secret once: a replay answers this envelope instead.</summary>
    public static void ReplayAs(HttpContext ctx, object envelope) => ctx.Features.Set(new ReplayBody(ApiJson.Bytes(envelope)));

    public Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        var key = ctx.Request.Headers[Header].ToString();
        var caller = ctx.Features.Get<Caller>();
        // Most requests carry no key: they pass straight through, without an async state machine of this method's.
        return !HttpMethods.IsPost(ctx.Request.Method) || key.Length == 0 || caller is null ? next(ctx) : Run(ctx, next, key, caller);
    }

    async Task Run(HttpContext ctx, RequestDelegate next, string key, Caller caller)
    {
        if (key.Length > 255)
            throw ApiError.BadRequest("The Idempotency-Key header must be at most 255 characters.");

        var requestHash = await Fingerprint(ctx.Request);
        // Two concurrent retries with one key must not both run: the second waits for the first's answer.
        var gate = inFlight.GetOrAdd(caller.AccountId + "\0" + key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ctx.RequestAborted);
        try
        {
            var now = time.GetUtcNow();
            var notBefore = Clock.Stored(now.AddHours(-24));
            var saved = await db.Read(c => IdempotencySql.Find(c, caller.AccountId, key, notBefore));
            if (saved is not null)
            {
                if (saved.RequestHash != requestHash)
                    throw ApiError.Conflict("This Idempotency-Key was already used for a different request.");
                if (saved.Status == IdempotencySql.AnswerLost)
                    throw ApiError.Conflict("The request with this Idempotency-Key was carried out, but its answer was lost to a server failure; " +
                        "look the result up instead of sending the request again.");
                await Replay(ctx, saved);
                return;
            }

            var original = ctx.Response.Body;
            using var captured = new MemoryStream();
            ctx.Response.Body = captured;
            var claim = new IdempotencyClaim(caller.AccountId, key, requestHash, Clock.Stored(now), notBefore);
            Db.Claim = claim;
            try
            {
                await next(ctx);
            }
            finally
            {
                claim.Ended = true;
                Db.Claim = null;
                ctx.Response.Body = original;
            }
            if (ctx.Response.StatusCode < 500)
            {
                var response = new SavedResponse
                {
                    RequestHash = requestHash,
                    Status = ctx.Response.StatusCode,
                    Body = ctx.Features.Get<ReplayBody>()?.Json ?? captured.ToArray(),
                    Location = ctx.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                };
                await db.Write((c, t) => IdempotencySql.Save(c, t, caller.AccountId, key, response, Clock.Stored(now), notBefore));
            }
            captured.Position = 0;
            await captured.CopyToAsync(original, ctx.RequestAborted);
        }
        finally
        {
            gate.Release();
            if (gate.CurrentCount == 1)
                inFlight.TryRemove(new KeyValuePair<string, SemaphoreSlim>(caller.AccountId + "\0" + key, gate));
        }
    }

    async Task<string> Fingerprint(HttpRequest request)
    {
        request.EnableBuffering(JsonBody.MaxBytes);
        using var sha = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, serverKey.Requests);
        sha.AppendData(Encoding.UTF8.GetBytes(request.Path + request.QueryString + "\0"));
        var buffer = new byte[16384];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total > JsonBody.MaxBytes)
                throw ApiError.PayloadTooLarge();
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static async Task Replay(HttpContext ctx, SavedResponse saved)
    {
        ctx.Response.StatusCode = saved.Status;
        ctx.Response.Headers["Idempotent-Replayed"] = "true";
        if (saved.Location is not null)
            ctx.Response.Headers.Location = saved.Location;
        if (saved.Body.Length > 0)
        {
            ctx.Response.ContentType = "application/json; charset=utf-8";
            ctx.Response.ContentLength = saved.Body.Length;
            await ctx.Response.Body.WriteAsync(saved.Body);
        }
    }
}
