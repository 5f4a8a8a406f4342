using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CloudsFor.Store;

/// <summary>
/// Copies SQLite's log back into the database file (a checkpoint) beside the writer instead of inside its commits.
/// By default the commit that takes the log past 1,000 pages runs the whole checkpoint: under 64 connections of POST /vms
/// that was 250–520 pages read, written and synced, 10–14 ms in which the writer stood still every ninth batch, and
/// the requests of that batch and the next set the p99. Here a pool thread copies what has piled up, on a connection
/// of its own, while the writer goes on. The log only starts over from its beginning once every page in it has been
/// copied when the writer begins a transaction, which a checkpoint beside a busy writer never catches up with; so past
/// <see cref="WriterFinishesAt"/> pages the writer copies what is left itself, after its batch's callers have heard
/// back: a few batches' pages, not the whole log.
/// </summary>
sealed class WalCheckpoints(SqliteEngine engine)
{
    // Pages not yet copied that start a pass of the helper: a few batches' worth, so the writer's share stays small.
    const long HelperStartsAt = 250;

    // The log's length (SQLite's own default) past which the writer finishes the copy so the next transaction restarts it.
    const long WriterFinishesAt = 1000;

    int helperRunning;
    long copied;

    /// <summary>
    /// Turns off SQLite's own checkpoint in the commits of the writer's connection. Called for every batch rather than
    /// remembered per connection: it only unsets the connection's commit hook.
    /// </summary>
    public static void TakeOver(SqliteConnection writer) => raw.sqlite3_wal_autocheckpoint(writer.Handle, 0);

    /// <summary>Called by the writer after a commit, once that batch's callers have been told.</summary>
    public void AfterCommit(SqliteConnection writer)
    {
        // The low half of the stamp's field is the log's last frame: its length in pages.
        if (engine.LastCommit() is not { } stamp)
            return;
        var frames = (uint)stamp.Frames;
        if (frames < Volatile.Read(ref copied))
            Volatile.Write(ref copied, 0);
        if (frames >= WriterFinishesAt)
        {
            // Returns at once without copying while the helper holds the checkpoint lock; the next commit tries again.
            if (raw.sqlite3_wal_checkpoint_v2(writer.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out _, out var done) == raw.SQLITE_OK)
                Volatile.Write(ref copied, done);
        }
        else if (frames - Volatile.Read(ref copied) >= HelperStartsAt && Interlocked.CompareExchange(ref helperRunning, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(_ => CopyBeside(), null);
    }

    void CopyBeside()
    {
        try
        {
            using var connection = (SqliteConnection)engine.Open();
            // A full or failing disk fails the pass; the log keeps every page, and a later pass or the writer tries again.
            if (raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out _, out var done) == raw.SQLITE_OK)
                Volatile.Write(ref copied, done);
        }
        catch (SqliteException)
        {
            // The store could not be opened now (the disk): nothing was copied, nothing is lost.
        }
        finally
        {
            Volatile.Write(ref helperRunning, 0);
        }
    }
}
