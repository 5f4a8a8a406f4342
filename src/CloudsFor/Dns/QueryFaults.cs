using System.Collections.Concurrent;

namespace CloudsFor.Dns;

/// <summary>
/// Warnings for queries the DNS server could not handle, at most one per kind of fault every
/// <see cref="Every"/>, saying how many of that kind went unlogged since: an operator sees that
/// queries fail, and a flood of hostile packets cannot flood the log.
/// </summary>
public sealed class QueryFaults(TimeProvider time, ILogger<QueryFaults> log)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    sealed class Kind
    {
        public DateTimeOffset Next = DateTimeOffset.MinValue;
        public int Suppressed;
    }

    // Keyed by exception types only (never by messages, which may carry what a client sent): a few kinds at most.
    readonly ConcurrentDictionary<string, Kind> kinds = new();

    public void Report(Exception e)
    {
        var name = KindOf(e);
        var kind = kinds.GetOrAdd(name, static _ => new Kind());
        var now = time.GetUtcNow();
        int suppressed;
        lock (kind)
        {
            if (now < kind.Next)
            {
                kind.Suppressed++;
                return;
            }
            kind.Next = now + Every;
            suppressed = kind.Suppressed;
            kind.Suppressed = 0;
        }
        log.LogWarning(e, "DNS: a query failed ({Kind}); {Suppressed} more of this kind since the last such warning, which comes at most every {Seconds} s",
            name, suppressed, (int)Every.TotalSeconds);
    }

    // The library wraps a message it cannot parse in a plain Exception: the inner one tells the kinds apart.
    static string KindOf(Exception e) => e.InnerException is { } inner ? $"{e.GetType().FullName}/{inner.GetType().FullName}" : e.GetType().FullName ?? "";
}
