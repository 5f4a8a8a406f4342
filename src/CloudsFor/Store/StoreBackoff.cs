namespace CloudsFor.Store;

/// <summary>
/// How background work waits for a store that refuses writes (a full disk, PostgreSQL gone) before it tries again:
/// 250 ms, doubling up to 15 s, so a long outage costs a try every 15 s and a short one is over in a fraction of a second.
/// </summary>
public sealed class StoreBackoff(TimeProvider time)
{
    static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan Last = TimeSpan.FromSeconds(15);

    TimeSpan next = First;

    /// <summary>Whether this outage has been waited on already (so it is logged once, not at every try).</summary>
    public bool Waiting => next != First;

    /// <summary>The store took a write: the next outage starts from the shortest wait again.</summary>
    public void Reset() => next = First;

    /// <summary>Waits the next delay; throws OperationCanceledException when <paramref name="ct"/> ends it.</summary>
    public Task Wait(CancellationToken ct)
    {
        var wait = next;
        next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, Last.Ticks));
        return Task.Delay(wait, time, ct);
    }
}
