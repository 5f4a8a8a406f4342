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

    /// <summary>Runs at the start of every write batch's transaction, before any of its writes.</summary>
    public virtual Task BeginWrite(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Applies the missing schema steps; throws <see cref="NewerStoreException"/> for a schema from a newer CloudsFor.</summary>
    public abstract void Migrate(Db db);

    /// <summary>Whether the failure means the store cannot be reached now (not that the statement was wrong): a 503, not a 500.</summary>
    public abstract bool IsUnavailable(Exception e);
}
