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

    /// <summary>Runs at the start of every write batch's transaction, before any of its writes.</summary>
    public virtual Task BeginWrite(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Applies the missing schema steps; throws <see cref="NewerStoreException"/> for a schema from a newer CloudsFor.</summary>
    public abstract void Migrate(Db db);

    /// <summary>Whether the failure means the store cannot be reached now (not that the statement was wrong): a 503, not a 500.</summary>
    public abstract bool IsUnavailable(Exception e);
}
