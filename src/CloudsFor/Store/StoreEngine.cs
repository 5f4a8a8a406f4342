using System.Data.Common;

namespace CloudsFor.Store;

/// <summary>
/// What differs between the stores <see cref="Db"/> runs on: how a connection is opened and set up, what a write batch
/// must do first, and how the schema is brought up to date. Everything else (the SQL in the *Sql classes, group
/// commit, the readers) is the same on both.
/// </summary>
public abstract class StoreEngine
{
    /// <summary>Where the store is, for messages (never with a password).</summary>
    public abstract string Describe { get; }

    public abstract DbConnection Open();

    /// <summary>Opens a connection without holding a thread while it waits (a network store may take a while).</summary>
    public virtual ValueTask<DbConnection> OpenAsync() => ValueTask.FromResult(Open());

    /// <summary>
    /// How many readers may hold a connection at once, or null for no limit. A pooled store sets it below its pool
    /// size, so a burst of requests waits its turn here instead of failing after the pool's connect timeout (a 503).
    /// </summary>
    public virtual int? MaxReaders => null;

    /// <summary>
    /// The stamp of the last commit anyone (this server, another process, another server) made to the store, read without
    /// asking it, or null when the engine cannot tell (then a cache must ask the store). A cache entry checked against
    /// the store after reading stamp S is still current while the stamp is S.
    /// </summary>
    public virtual CommitStamp? LastCommit() => null;

    /// <summary>Runs at the start of every write batch's transaction, before any of its writes.</summary>
    public virtual Task BeginWrite(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Runs on the writer's connection after a batch committed and its callers were told: upkeep no write waits for.</summary>
    public virtual void AfterCommit(DbConnection connection)
    {
    }

    /// <summary>Applies the missing schema steps; throws <see cref="NewerStoreException"/> for a schema from a newer CloudsFor.</summary>
    public abstract void Migrate(Db db);

    /// <summary>
    /// What kind of trouble with the store (or the data folder's disk) a failure is, or <see cref="StoreFault.None"/> when
    /// it is not one (a wrong statement, a bug): every other kind is the store's condition, not the request's, so the
    /// client hears 503 with Retry-After instead of a 500.
    /// </summary>
    public StoreFault FaultOf(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
            if ((EngineFault(cause) is var fault && fault != StoreFault.None) || (fault = FileFault(cause)) != StoreFault.None)
                return fault;
        return StoreFault.None;
    }

    /// <summary>Whether the failure means the store cannot be used now (not that the statement was wrong): a 503, not a 500.</summary>
    public bool IsUnavailable(Exception e) => FaultOf(e) != StoreFault.None;

    /// <summary>How this engine's own exception reads.</summary>
    protected abstract StoreFault EngineFault(Exception e);

    /// <summary>
    /// Called by the writer after a write batch failed with <paramref name="fault"/> and its connection was let go,
    /// before the next batch: the place to undo what the failed commit left behind.
    /// </summary>
    public virtual void AfterFailedWrite(StoreFault fault)
    {
    }

    // Files written beside the store (uploaded images, console logs) fail the same way. On Linux .NET puts the errno
    // in HResult: ENOSPC 28, EDQUOT 122, EIO 5.
    static StoreFault FileFault(Exception e) => e is IOException io && io.GetType() == typeof(IOException)
        ? io.HResult switch
        {
            28 or 122 => StoreFault.DiskFull,
            5 => StoreFault.DiskFailing,
            _ => StoreFault.None,
        }
        : StoreFault.None;
}

public enum StoreFault
{
    None,

    /// <summary>The store cannot be reached (PostgreSQL restarting, a network cut).</summary>
    Unreachable,

    /// <summary>No space is left where the store (or the data folder) writes.</summary>
    DiskFull,

    /// <summary>The disk refused a write or a sync (an I/O error): the write was not acknowledged.</summary>
    DiskFailing,
}
