using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Tests.Store;

/// <summary>
/// The log is copied back into the database beside the writer (see WalCheckpoints), and SQLite starts it over only when
/// a write transaction begins with every page copied: a writer that never rests must still let that happen, or the log
/// grows with everything ever written and every read searches it.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class WalCheckpointTests : IDisposable
{
    const int PageBytes = 4096;
    const int FrameBytes = PageBytes + 24;

    readonly StoreFile store = new();

    Db Db => store.Db;

    public void Dispose() => store.Dispose();

    [Fact]
    public async Task Under_a_writer_that_never_rests_the_log_still_starts_over()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE blobs (n INTEGER PRIMARY KEY, data BLOB NOT NULL)", transaction: t));

        // All queued at once, so the writer runs one batch after the other without a pause in which the copy could catch
        // up. A row of 3,000 bytes fills most of a page: about 10,000 pages go through the log, ten times the 1,000 after
        // which it should start over.
        const int rows = 9_600;
        await Task.WhenAll(Enumerable.Range(0, rows).Select(_ =>
            Db.Write((c, t) => c.ExecuteAsync("INSERT INTO blobs (data) VALUES (randomblob(3000))", transaction: t))));

        Assert.Equal(rows, await Db.Read(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM blobs")));
        // The file keeps the length of the longest the log has been (SQLite overwrites it from the start, never shrinks it).
        var longest = new FileInfo(((SqliteEngine)Db.Engine).Path + "-wal").Length;
        Assert.InRange(longest, 1_000L * FrameBytes, 3_000L * FrameBytes);
    }
}
