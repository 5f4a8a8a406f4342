using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Http;

/// <summary>How long a browser session lives: since its last use, and at most since sign-in.</summary>
public sealed record SessionSettings(TimeSpan IdleTimeout, TimeSpan Lifetime);

/// <summary>The browser session a request came with (its caller is in the request's features too).</summary>
public sealed record BrowserSession(string Id, string SecretHash, string CsrfToken, DateTimeOffset ExpiresAt, DateTimeOffset IdleExpiresAt);

/// <summary>
/// Server-side sessions of the control panel, held by the browser in the cookie <see cref="CookieName"/>. The store
/// keeps only a keyed hash of the secret; the anti-forgery token is a keyed hash of the secret too, so it is not stored
/// and a copy of the store yields neither. A validated session is remembered briefly in memory by its hash, so the
/// panel's requests do not each read the store; the idle expiry is moved on in the store at most once a minute.
/// Sign-out forgets the session at once here; another server sharing the store notices within RememberFor.
/// Sign-out leaves a mark in place of the remembered session for RememberFor, so a request that read the store just
/// before the session was deleted cannot remember it again afterwards (that race let the old cookie work for seconds).
/// </summary>
public sealed class Sessions(Db db, ServerKey serverKey, SessionSettings settings, Ids ids, TimeProvider time)
{
    public const string CookieName = "cloudsfor_session";
    const int MaxRemembered = 10_000;

    sealed record Remembered(Caller Caller, BrowserSession Session, DateTimeOffset Until);

    readonly ConcurrentDictionary<string, Remembered> remembered = new();
    // Sessions signed out lately (by secret hash), until when a read of the store that began before could still land.
    readonly ConcurrentDictionary<string, DateTimeOffset> ended = new();

    // Short idle timeouts (tests, strict operators) need the store moved on more often than once a minute.
    TimeSpan TouchEvery => settings.IdleTimeout / 4 < TimeSpan.FromMinutes(1) ? settings.IdleTimeout / 4 : TimeSpan.FromMinutes(1);

    /// <summary>Starts a session for a user whose password was just checked; returns it with the cookie's secret.</summary>
    public async Task<(BrowserSession Session, string Secret)> Start(Caller user)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var row = new SessionRow
        {
            SecretHash = ServerKey.Hash(serverKey.Sessions, secret), Id = ids.New(), UserId = user.UserId, CreatedAt = Clock.Stored(now),
            ExpiresAt = Clock.Stored(now + settings.Lifetime), IdleExpiresAt = Clock.Stored(IdleFrom(now, now + settings.Lifetime)),
        };
        await db.Write(async (c, t) =>
        {
            await SessionsSql.DeleteExpired(c, t, Clock.Stored(now));
            await SessionsSql.Insert(c, t, row);
        });
        return (new BrowserSession(row.Id, row.SecretHash, CsrfOf(secret), Parse(row.ExpiresAt), Parse(row.IdleExpiresAt)), secret);
    }

    /// <summary>The caller and session of a cookie's secret, or null when it names no live session.</summary>
    public async Task<(Caller Caller, BrowserSession Session)?> Find(string secret)
    {
        if (secret.Length is 0 or > 128)
            return null;
        var hash = ServerKey.Hash(serverKey.Sessions, secret);
        var now = time.GetUtcNow();
        if (ended.TryGetValue(hash, out var endedUntil))
        {
            if (endedUntil > now)
                return null;
            ended.TryRemove(hash, out _);
        }
        if (remembered.TryGetValue(hash, out var known) && known.Until > now)
        {
            if (now + settings.IdleTimeout - known.Session.IdleExpiresAt >= TouchEvery)
                known = await Touch(known, now);
            return (known.Caller, known.Session);
        }
        var owner = await db.Read(c => SessionsSql.OwnerBySecretHash(c, hash));
        if (owner is null || Parse(owner.ExpiresAt) <= now || Parse(owner.IdleExpiresAt) <= now)
        {
            remembered.TryRemove(hash, out _);
            return null;
        }
        var caller = new Caller(owner.UserId, owner.Username, owner.IsAdmin, Scopes.OfUser(owner.IsAdmin));
        var session = new BrowserSession(owner.Id, hash, CsrfOf(secret), Parse(owner.ExpiresAt), Parse(owner.IdleExpiresAt));
        var fresh = new Remembered(caller, session, now);
        if (now + settings.IdleTimeout - session.IdleExpiresAt >= TouchEvery)
            fresh = await Touch(fresh, now);
        else
            fresh = fresh with { Until = Until(fresh.Session, now) };
        if (remembered.Count >= MaxRemembered)
            remembered.Clear();
        Remember(fresh);
        return (fresh.Caller, fresh.Session);
    }

    /// <summary>Sign-out: the session ends here, then in the store.</summary>
    public async Task End(BrowserSession session)
    {
        if (ended.Count >= MaxRemembered)
            ended.Clear();
        ended[session.SecretHash] = time.GetUtcNow() + Authentication.RememberFor;
        remembered.TryRemove(session.SecretHash, out _);
        await db.Write((c, t) => SessionsSql.Delete(c, t, session.SecretHash));
    }

    /// <summary>Remembers a session unless it was signed out meanwhile.</summary>
    void Remember(Remembered entry)
    {
        remembered[entry.Session.SecretHash] = entry;
        // Checked after the write: a sign-out marks first and forgets second, so one of the two sees the other.
        if (ended.ContainsKey(entry.Session.SecretHash))
            remembered.TryRemove(entry.Session.SecretHash, out _);
    }

    /// <summary>Forgets every remembered session (a user was deleted): the next request of each reads the store again.</summary>
    public void Forget() => remembered.Clear();

    async Task<Remembered> Touch(Remembered known, DateTimeOffset now)
    {
        var idle = IdleFrom(now, known.Session.ExpiresAt);
        await db.Write((c, t) => SessionsSql.Touch(c, t, known.Session.SecretHash, Clock.Stored(idle)));
        var session = known.Session with { IdleExpiresAt = idle };
        var touched = new Remembered(known.Caller, session, Until(session, now));
        Remember(touched);
        return touched;
    }

    DateTimeOffset IdleFrom(DateTimeOffset now, DateTimeOffset expires) => now + settings.IdleTimeout < expires ? now + settings.IdleTimeout : expires;

    /// <summary>A remembered session is read from the store again after a few seconds, and never used past either expiry.</summary>
    static DateTimeOffset Until(BrowserSession session, DateTimeOffset now)
    {
        var until = now + Authentication.RememberFor;
        if (session.IdleExpiresAt < until)
            until = session.IdleExpiresAt;
        return session.ExpiresAt < until ? session.ExpiresAt : until;
    }

    string CsrfOf(string secret) => ServerKey.Hash(serverKey.Csrf, secret);

    static DateTimeOffset Parse(string stored) => DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Whether an anti-forgery token given in a header is the session's, compared in constant time.</summary>
    public static bool CsrfMatches(BrowserSession session, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session.CsrfToken), Encoding.UTF8.GetBytes(given));
}
