using System.Collections.Concurrent;

namespace CloudsFor.Http;

/// <summary>Failed sign-ins allowed per username and per client address within <see cref="SignInThrottle.Window"/>; 0 turns one off.</summary>
public sealed record SignInLimits(int PerUser = 10, int PerAddress = 100);

/// <summary>A sign-in that was refused without checking the credential, and for how long more.</summary>
public sealed record SignInRefusal(long RetryAfterSeconds);

/// <summary>
/// Slows down and then stops password and token guessing, before the slow hash runs. Failed sign-ins are counted
/// per username and per client address over a window of 15 minutes. Past half the limit, each further attempt
/// waits first (half a second more for every failure, at most 5 s); at the limit the username or address is locked
/// for 15 minutes: every sign-in with it is a 429 with Retry-After, the right password included, and costs no hash.
/// Attempts still being checked count against the limit too, so a burst of parallel guesses cannot overshoot it.
/// Unknown usernames are counted like known ones, so a lock tells nothing about which exist. The counts live in
/// this process: servers sharing a store each count their own.
/// </summary>
public sealed class SignInThrottle(SignInLimits limits, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    const int MaxTracked = 100_000;

    sealed class Failures
    {
        public int Count, Pending;
        public DateTimeOffset WindowStart, LockedUntil;
    }

    readonly ConcurrentDictionary<string, Failures> byUser = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Failures> byAddress = new(StringComparer.Ordinal);
    // Both counters of an attempt are checked and reserved together.
    readonly Lock gate = new();
    int locks;

    /// <summary>A sign-in under way; say how it ended with <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    public sealed class Attempt(SignInThrottle throttle, string? username, string address)
    {
        public TimeSpan Delay { get; init; }
        public void Succeeded() => throttle.End(username, address, failed: false);
        public void Failed() => throttle.End(username, address, failed: true);
    }

    /// <summary>Whether a lock is in force anywhere; when not, a remembered credential needs no look-up here.</summary>
    public bool AnyLocked => Volatile.Read(ref locks) > 0;

    /// <summary>The refusal for a username (null for tokens) and address that are locked now, if they are.</summary>
    public SignInRefusal? Refusal(string? username, string address)
    {
        var now = time.GetUtcNow();
        var until = Max(LockedUntil(byUser, username, now), LockedUntil(byAddress, address, now));
        return until > now ? new SignInRefusal(Seconds(until - now)) : null;
    }

    /// <summary>Starts a sign-in: a refusal when locked or when the attempts under way already reach a limit.</summary>
    public (Attempt? Attempt, SignInRefusal? Refusal) Begin(string? username, string address)
    {
        var now = time.GetUtcNow();
        Sweep();
        var user = username is null || limits.PerUser <= 0 ? null : byUser.GetOrAdd(username, _ => new Failures());
        var from = limits.PerAddress <= 0 ? null : byAddress.GetOrAdd(address, _ => new Failures());
        lock (gate)
        {
            var refusal = Check(user, limits.PerUser, now) ?? Check(from, limits.PerAddress, now);
            if (refusal is not null)
                return (null, refusal);
            if (user is not null)
                user.Pending++;
            if (from is not null)
                from.Pending++;
            var delay = Max(DelayFor(user, limits.PerUser), DelayFor(from, limits.PerAddress));
            return (new Attempt(this, username, address) { Delay = delay }, null);
        }
    }

    void End(string? username, string address, bool failed)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (username is not null && limits.PerUser > 0 && byUser.TryGetValue(username, out var user))
                Record(user, limits.PerUser, failed, now);
            if (limits.PerAddress > 0 && byAddress.TryGetValue(address, out var from))
                Record(from, limits.PerAddress, failed, now);
        }
    }

    SignInRefusal? Check(Failures? f, int limit, DateTimeOffset now)
    {
        if (f is null)
            return null;
        if (f.LockedUntil > now)
            return new SignInRefusal(Seconds(f.LockedUntil - now));
        if (f.LockedUntil != default)
        {
            // The lock ran out: a fresh start.
            f.LockedUntil = default;
            f.Count = 0;
            Interlocked.Decrement(ref locks);
        }
        if (now - f.WindowStart >= Window)
            (f.WindowStart, f.Count) = (now, 0);
        // Guesses already being checked would reach the limit: wait for them rather than run more hashes.
        return f.Count + f.Pending >= limit ? new SignInRefusal(Seconds(MaxDelay)) : null;
    }

    void Record(Failures f, int limit, bool failed, DateTimeOffset now)
    {
        f.Pending = Math.Max(0, f.Pending - 1);
        if (!failed || f.LockedUntil > now)
            return;
        if (now - f.WindowStart >= Window)
            (f.WindowStart, f.Count) = (now, 0);
        if (++f.Count >= limit)
        {
            if (f.LockedUntil == default)
                Interlocked.Increment(ref locks);
            f.LockedUntil = now + Window;
        }
    }

    static TimeSpan DelayFor(Failures? f, int limit)
    {
        if (f is null || f.Count < limit / 2)
            return TimeSpan.Zero;
        var delay = Step * (f.Count - limit / 2 + 1);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    static DateTimeOffset LockedUntil(ConcurrentDictionary<string, Failures> counts, string? key, DateTimeOffset now) =>
        key is not null && counts.TryGetValue(key, out var f) && f.LockedUntil > now ? f.LockedUntil : default;

    /// <summary>Keeps memory bounded when many names or addresses are tried: forgets what no longer matters, then anything not locked.</summary>
    void Sweep()
    {
        if (byUser.Count + byAddress.Count < MaxTracked)
            return;
        var now = time.GetUtcNow();
        lock (gate)
        {
            foreach (var counts in new[] { byUser, byAddress })
                foreach (var (key, f) in counts)
                    if (f.Pending == 0 && f.LockedUntil <= now && (now - f.WindowStart >= Window || byUser.Count + byAddress.Count >= MaxTracked))
                    {
                        if (f.LockedUntil != default)
                            Interlocked.Decrement(ref locks);
                        counts.TryRemove(key, out _);
                    }
        }
    }

    static long Seconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;
}
