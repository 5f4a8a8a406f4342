using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Dapper;

namespace CloudsFor.Store;

/// <summary>
/// The store, on SQLite (one file, the default) or PostgreSQL (see <see cref="StoreEngine"/>). Readers run in parallel
/// on connections the store keeps open (so statements prepared on them stay prepared, see <see cref="Prepared"/>).
/// Writes go through one writer, which SQLite has anyway and PostgreSQL gets from a lock: queued writes run one after
/// the other, each in a savepoint of its own, and as many as are waiting share one commit (group commit), so a busy
/// server pays for one commit per batch instead of one per request. A write's caller hears back only after that commit.
/// The writes of requests go ahead of background work's (see <see cref="TakeBatch"/>); the writer has a thread of its
/// own (<see cref="WriterThread"/>).
/// </summary>
public sealed class Db : IDisposable
{
    const int MaxIdleReaders = 32;
    const int MaxBatch = 96;
    // Of a batch, the most that goes to background writes while requests wait. An accepted action costs the worker two
    // writes (its driver's record, then its end) for the request's one, so a worker with less than two thirds of the
    // writer falls behind the API under load, and clients find their VMs still locked (409).
    const int BackgroundShare = 64;

    // A stack, not a ConcurrentBag: the bag's Count locks every thread's list and its take from another thread's list
    // locks too, and readers are returned on other threads than took them, so under load requests queued on those locks.
    readonly ConcurrentStack<DbConnection> idleReaders = new();
    int idleCount;
    readonly Channel<Pending> writes = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim? readerTurns;

    static Db()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        Dialect.FlagsAsIntegers.Register();
    }

    public Db(StoreEngine engine)
    {
        Engine = engine;
        if (engine.MaxReaders is { } most)
            readerTurns = new SemaphoreSlim(most, most);
        WriterThread.Start(WriteLoop, "cloudsfor store writer");
    }

    /// <summary>The SQLite store in that file.</summary>
    public Db(string path) : this(new SqliteEngine(path))
    {
    }

    static readonly AsyncLocal<IdempotencyClaim?> claim = new();
    static readonly AsyncLocal<bool> background = new();

    /// <summary>
    /// Whether the code that runs now is background work (the action worker), whose writes no client waits on: the writer
    /// runs the writes of requests first, so a deep queue of background writes does not hold up the answer to a request.
    /// </summary>
    public static bool Background
    {
        get => background.Value;
        set => background.Value = value;
    }

    /// <summary>The Idempotency-Key of the request this code runs for, if it has one; its writes record it (see <see cref="IdempotencyClaim"/>).</summary>
    public static IdempotencyClaim? Claim
    {
        get => claim.Value;
        set => claim.Value = value;
    }

    public StoreEngine Engine { get; }

    public string Describe => Engine.Describe;

    /// <summary>Told after every commit, on the writer's own loop: it must return at once (the event hub only sets a signal).</summary>
    public Action? Committed { get; set; }

    public DbConnection Open() => Engine.Open();

    public async Task<T> Read<T>(Func<DbConnection, Task<T>> work)
    {
        if (readerTurns is not null)
            await readerTurns.WaitAsync();
        try
        {
            var connection = await IdleReader();
            var kept = connection is not null;
            while (true)
            {
                connection ??= await Engine.OpenAsync();
                var keep = false;
                try
                {
                    var result = await work(connection);
                    keep = true;
                    return result;
                }
                catch (Exception e) when (!Engine.IsUnavailable(e))
                {
                    keep = true;
                    throw;
                }
                catch (Exception) when (kept && connection.State != ConnectionState.Open)
                {
                    // A kept connection whose session ended while it waited (PostgreSQL restarted, or an administrator
                    // ended it) fails its first statement: the read runs once more on a new connection, so a client hears
                    // of the store's trouble only if that one fails too.
                    kept = false;
                }
                finally
                {
                    // A connection that failed because the store went away is not kept: it may be dead.
                    if (keep && Volatile.Read(ref idleCount) < MaxIdleReaders)
                    {
                        Interlocked.Increment(ref idleCount);
                        idleReaders.Push(connection);
                    }
                    else
                        await connection.DisposeAsync();
                }
                connection = null;
            }
        }
        finally
        {
            readerTurns?.Release();
        }
    }

    /// <summary>A kept connection that is still open: the pool's keepalive closes one whose database went away while it waited.</summary>
    async Task<DbConnection?> IdleReader()
    {
        while (idleReaders.TryPop(out var idle))
        {
            Interlocked.Decrement(ref idleCount);
            if (idle.State == ConnectionState.Open)
                return idle;
            await idle.DisposeAsync();
        }
        return null;
    }

    /// <summary>Runs <paramref name="work"/> atomically: all of it is stored, or none; returns once it is committed.</summary>
    public Task<T> Write<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        var pending = new Pending<T>(work, Claim, Background);
        if (!writes.Writer.TryWrite(pending))
            throw new InvalidOperationException("the store's writer has stopped");
        return pending.Done;
    }

    public Task Write(Func<DbConnection, DbTransaction, Task> work) =>
        Write<bool>(async (c, t) => { await work(c, t); return true; });

    /// <summary>Stops the writer once the writes queued so far are done; writes after that fail.</summary>
    public void Dispose() => writes.Writer.TryComplete();

    /// <summary>The one writer: takes what is queued, runs each in its own savepoint, commits them together.</summary>
    async Task WriteLoop()
    {
        DbConnection? connection = null;
        var batch = new List<Pending>();
        var requests = new Queue<Pending>();
        var backgroundWork = new Queue<Pending>();
        while (requests.Count + backgroundWork.Count > 0 || await writes.Reader.WaitToReadAsync())
        {
            while (writes.Reader.TryRead(out var next))
                (next.Background ? backgroundWork : requests).Enqueue(next);
            TakeBatch(batch, requests, backgroundWork);
            try
            {
                if (connection is { State: not ConnectionState.Open })
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
                connection ??= await Engine.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await Engine.BeginWrite(connection, transaction);
                // A write alone needs no savepoint: the transaction is its savepoint.
                var alone = batch.Count == 1;
                // The savepoint statements are prepared once (the transaction's own Save parses its SQL on every call).
                // Each write after the first releases the savepoint of the one before in the same command that opens its
                // own, and the last one's ends with the commit: on PostgreSQL every command is a round trip.
                foreach (var item in batch)
                {
                    if (!alone)
                        await Prepared.Execute(connection, transaction, item == batch[0] ? "SAVEPOINT item" : "RELEASE item; SAVEPOINT item");
                    await item.Run(connection, transaction);
                    // A full or failing disk (or a lost connection) may have rolled back the whole transaction, not just
                    // this write: the batch ends here, and each of its writes hears why.
                    if (item.Failure is { } failure && Engine.IsUnavailable(failure))
                        ExceptionDispatchInfo.Throw(failure);
                    if (!alone && item.Failed)
                        await Prepared.Execute(connection, transaction, "ROLLBACK TO item");
                }
                if (alone && batch[0].Failed)
                    await transaction.RollbackAsync();
                else
                    await transaction.CommitAsync();
                foreach (var item in batch)
                    item.Complete();
                Committed?.Invoke();
                Engine.AfterCommit(connection);
            }
            catch (Exception e)
            {
                // The store could not be opened, or the transaction itself failed (disk full, I/O error): nothing of the
                // batch is stored, and the next batch tries again, on a new connection, so the server recovers by itself
                // once the store is back or the disk has room. What the failed commit left behind is undone before
                // anyone hears of the failure, so a client that retries cannot find its write done after a crash.
                var fault = Engine.FaultOf(e);
                if (connection is not null && fault != StoreFault.None)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
                if (fault is StoreFault.DiskFull or StoreFault.DiskFailing)
                    UndoFailedWrite(fault);
                foreach (var item in batch)
                    item.Complete(e);
            }
        }
        if (connection is not null)
            await connection.DisposeAsync();
    }

    /// <summary>
    /// The next batch: the waiting writes of requests first, then background writes, each kind in the order queued.
    /// First in, first out for all, a request's write waited behind a whole queue of the worker's (it runs up to 256 VMs'
    /// actions at once), several batches deep. Background work keeps its share of every batch (<see cref="BackgroundShare"/>),
    /// so a steady stream of requests neither starves it nor gets ahead of it.
    /// </summary>
    static void TakeBatch(List<Pending> batch, Queue<Pending> requests, Queue<Pending> backgroundWork)
    {
        batch.Clear();
        var forRequests = MaxBatch - Math.Min(backgroundWork.Count, BackgroundShare);
        while (batch.Count < forRequests && requests.TryDequeue(out var next))
            batch.Add(next);
        while (batch.Count < MaxBatch && backgroundWork.TryDequeue(out var next))
            batch.Add(next);
    }

    void UndoFailedWrite(StoreFault fault)
    {
        try
        {
            Engine.AfterFailedWrite(fault);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            // The disk refuses even that, or another process holds the store's write lock: the failed write may then
            // come back after a crash, as a timed-out one may (an Idempotency-Key still keeps it from being done twice).
        }
    }

    abstract class Pending(bool background)
    {
        public bool Background { get; } = background;
        public abstract Exception? Failure { get; }
        public bool Failed => Failure is not null;
        public abstract Task Run(DbConnection c, DbTransaction t);
        public abstract void Complete(Exception? batchFailure = null);
    }

    sealed class Pending<T>(Func<DbConnection, DbTransaction, Task<T>> work, IdempotencyClaim? claim, bool background) : Pending(background)
    {
        readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T result = default!;
        Exception? failure;

        public Task<T> Done => done.Task;

        public override Exception? Failure => failure;

        public override async Task Run(DbConnection c, DbTransaction t)
        {
            try
            {
                result = await work(c, t);
                if (claim is { Ended: false })
                    await IdempotencySql.Claim(c, t, claim);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        public override void Complete(Exception? batchFailure = null)
        {
            if ((failure ?? batchFailure) is { } e)
                done.SetException(e);
            else
                done.SetResult(result);
        }
    }
}
