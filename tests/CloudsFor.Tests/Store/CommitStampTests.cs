using CloudsFor.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Store;

/// <summary>
/// The SQLite store's commit stamp, read from the wal-index header in shared memory: it stays while only reads happen
/// and moves with every commit, the server's own and one made by another connection that knows nothing of the server
/// (as a process writing to the file would), so a cache checked against it never misses a change.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class CommitStampTests : IDisposable
{
    readonly StoreFile store = new();

    Db Db => store.Db;

    public void Dispose() => store.Dispose();

    [Fact]
    public async Task The_stamp_stays_through_reads_and_moves_with_every_commit_whoever_makes_it()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE notes (n INTEGER PRIMARY KEY)", transaction: t));
        var start = Db.Engine.LastCommit();
        Assert.NotNull(start);

        for (var i = 0; i < 3; i++)
            Assert.Equal(0L, await Db.Read(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM notes")));
        Assert.Equal(start, Db.Engine.LastCommit());

        await Db.Write((c, t) => c.ExecuteAsync("INSERT INTO notes (n) VALUES (1)", transaction: t));
        var afterOwnWrite = Db.Engine.LastCommit();
        Assert.NotNull(afterOwnWrite);
        Assert.NotEqual(start, afterOwnWrite);

        using (var other = new SqliteConnection($"Data Source={((SqliteEngine)Db.Engine).Path};Pooling=False"))
        {
            other.Open();
            other.Execute("INSERT INTO notes (n) VALUES (2)");
        }
        var afterOtherWrite = Db.Engine.LastCommit();
        Assert.NotNull(afterOtherWrite);
        Assert.NotEqual(afterOwnWrite, afterOtherWrite);
        Assert.Equal(afterOtherWrite, Db.Engine.LastCommit());
    }

    [Fact]
    public async Task A_transaction_rolled_back_leaves_the_stamp_as_it_was()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE notes (n INTEGER PRIMARY KEY)", transaction: t));
        var before = Db.Engine.LastCommit();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Db.Write(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO notes (n) VALUES (1)", transaction: t);
            throw new InvalidOperationException("refused");
        }));
        Assert.Equal(before, Db.Engine.LastCommit());
    }
}
