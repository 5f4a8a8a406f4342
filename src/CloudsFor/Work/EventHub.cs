using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

public sealed record EventSettings(TimeSpan Heartbeat, int MaxStreamsPerAccount, TimeSpan Retention);

/// <summary>One stored event, written once as the bytes of its SSE message, shared by every stream it goes to.</summary>
public sealed record EventFrame(long Id, string AccountId, string ResourceType, string ResourceId, byte[] Message)
{
    public static EventFrame Of(EventRow e)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes($"id: {e.Id}\nevent: {e.Type}\ndata: "));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", e.Id);
            json.WriteString("type", e.Type);
            json.WriteString("resource_type", e.ResourceType);
            json.WriteString("resource_id", e.ResourceId);
            json.WriteString("occurred_at", Clock.Shown(e.CreatedAt));
            json.WritePropertyName("resource");
            if (e.Resource is null)
                json.WriteNullValue();
            else
                json.WriteRawValue(e.Resource, skipInputValidation: true);
            json.WriteEndObject();
        }
        buffer.Write("\n\n"u8);
        return new EventFrame(e.Id, e.AccountId, e.ResourceType, e.ResourceId, buffer.ToArray());
    }
}

/// <summary>Which events a stream wants: null sets take every resource type or id.</summary>
public sealed record EventFilter(IReadOnlySet<string>? ResourceTypes, IReadOnlySet<string>? ResourceIds)
{
    public bool Matches(EventFrame e) =>
        (ResourceTypes is null || ResourceTypes.Contains(e.ResourceType)) && (ResourceIds is null || ResourceIds.Contains(e.ResourceId));
}

/// <summary>
/// Wakes the open event streams. After every commit (<see cref="Db.Committed"/>) it reads the new events once, for all
/// streams, and hands each to the streams of its account that want it: a thousand open streams cost one query per commit,
/// not a thousand. A stream too slow to keep up is told it lagged and reads what it missed from the store (the rows are
/// the truth; this is only the fast path). It also prunes events older than the retention window, now and then.
/// </summary>
public sealed class EventHub : BackgroundService
{
    const int Page = 1000;
    const int StreamBuffer = 256;

    public sealed class Subscription(EventHub hub, string accountId, EventFilter filter) : IDisposable
    {
        readonly Channel<EventFrame> frames = Channel.CreateBounded<EventFrame>(new BoundedChannelOptions(StreamBuffer) { SingleReader = true });
        int lagged;

        public string AccountId => accountId;
        public EventFilter Filter => filter;
        public ChannelReader<EventFrame> Frames => frames.Reader;

        /// <summary>Whether frames were dropped since the last ask (the stream then reads them from the store).</summary>
        public bool TakeLagged() => Interlocked.Exchange(ref lagged, 0) == 1;

        internal void Offer(EventFrame frame)
        {
            if (filter.Matches(frame) && !frames.Writer.TryWrite(frame))
                Volatile.Write(ref lagged, 1);
        }

        public void Dispose() => hub.Close(this);
    }

    readonly Db db;
    readonly EventSettings settings;
    readonly TimeProvider time;
    readonly ILogger<EventHub> log;
    readonly Channel<bool> committed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Dictionary<string, List<Subscription>> streams = new();
    long latest = -1;

    public EventHub(Db db, EventSettings settings, TimeProvider time, ILogger<EventHub> log)
    {
        (this.db, this.settings, this.time, this.log) = (db, settings, time, log);
        db.Committed = () => committed.Writer.TryWrite(true);
    }

    public EventSettings Settings => settings;

    /// <summary>A new stream of the account, or null when it has as many open as it may.</summary>
    public Subscription? Open(string accountId, EventFilter filter)
    {
        lock (streams)
        {
            if (!streams.TryGetValue(accountId, out var open))
                streams[accountId] = open = [];
            if (open.Count >= settings.MaxStreamsPerAccount)
                return null;
            var subscription = new Subscription(this, accountId, filter);
            open.Add(subscription);
            return subscription;
        }
    }

    void Close(Subscription subscription)
    {
        lock (streams)
            if (streams.TryGetValue(subscription.AccountId, out var open) && open.Remove(subscription) && open.Count == 0)
                streams.Remove(subscription.AccountId);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        latest = (await db.Read(EventsSql.Bounds)).Last;
        var nextPrune = time.GetUtcNow();
        // A second is the longest a commit can go unnoticed if its signal was missed; it also finds the events of another server on the same store.
        var idle = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await FanOut();
                if (time.GetUtcNow() >= nextPrune)
                {
                    await Prune();
                    nextPrune = time.GetUtcNow() + PruneInterval;
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogError(e, "reading or pruning events failed; trying again after the next commit");
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            wait.CancelAfter(idle);
            try
            {
                await committed.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing committed for a while (look anyway), or stopping (the loop ends).
            }
        }
    }

    TimeSpan PruneInterval => TimeSpan.FromTicks(Math.Clamp(settings.Retention.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute * 10));

    async Task FanOut()
    {
        // With no stream open there is no one to hand events to: the hub only moves past them, with one step down the
        // index instead of reading every event's resource (four events a created VM, each with its JSON). The streams
        // are looked at after that read: one opened since reads its start after it, so skips what the hub skipped.
        if (NoStreams())
        {
            var last = (await db.Read(EventsSql.Bounds)).Last;
            if (NoStreams())
            {
                latest = Math.Max(latest, last);
                return;
            }
        }
        while (true)
        {
            var rows = await db.Read(c => EventsSql.After(c, latest, Page));
            foreach (var row in rows)
            {
                // Framed only for an account that follows its events.
                if (Followed(row.AccountId))
                {
                    var frame = EventFrame.Of(row);
                    lock (streams)
                        if (streams.TryGetValue(row.AccountId, out var open))
                            foreach (var subscription in open)
                                subscription.Offer(frame);
                }
                latest = row.Id;
            }
            if (rows.Count < Page)
                return;
        }
    }

    bool NoStreams()
    {
        lock (streams)
            return streams.Count == 0;
    }

    bool Followed(string accountId)
    {
        lock (streams)
            return streams.ContainsKey(accountId);
    }

    async Task Prune()
    {
        var before = Clock.Stored(time.GetUtcNow() - settings.Retention);
        var removed = 0;
        int batch;
        do
        {
            batch = await db.Write((c, t) => EventsSql.Prune(c, t, before, Page));
            removed += batch;
        } while (batch == Page);
        if (removed > 0)
            log.LogDebug("pruned {Count} events older than {Before}", removed, before);
    }
}
