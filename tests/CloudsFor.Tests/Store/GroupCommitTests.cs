using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Tests.Store;

/// <summary>
/// Writes queued together share one commit, yet each stays atomic on its own: one that fails leaves
/// nothing behind and takes nothing of the others with it, and every caller hears its own outcome.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class GroupCommitTests : IDisposable
{
    readonly StoreFile store = new();

    Db Db => store.Db;

    public void Dispose() => store.Dispose();

    [Fact]
    public async Task A_failing_write_among_many_leaves_nothing_and_the_others_are_all_stored()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE notes (n INTEGER PRIMARY KEY, text TEXT NOT NULL)", transaction: t));
        var writes = Enumerable.Range(0, 200).Select(n => Db.Write(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO notes (n, text) VALUES (@n, 'first')", new { n }, t);
            await c.ExecuteAsync("UPDATE notes SET text = 'second' WHERE n = @n", new { n }, t);
            if (n % 7 == 0)
                throw new InvalidOperationException($"write {n} refuses");
            return n;
        })).ToList();

        for (var n = 0; n < writes.Count; n++)
        {
            if (n % 7 == 0)
                Assert.Equal($"write {n} refuses", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[n])).Message);
            else
                Assert.Equal(n, await writes[n]);
        }
        var stored = await Db.Read(async c => (await c.QueryAsync<(long N, string Text)>("SELECT n, text FROM notes ORDER BY n")).ToList());
        Assert.Equal(Enumerable.Range(0, 200).Where(n => n % 7 != 0).Select(n => (long)n), stored.Select(r => r.N));
        Assert.All(stored, r => Assert.Equal("second", r.Text));
    }

    [Fact]
    public async Task A_write_is_committed_when_its_caller_hears_back_and_later_writes_see_it()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE counter (v INTEGER NOT NULL)", transaction: t));
        await Db.Write((c, t) => c.ExecuteAsync("INSERT INTO counter VALUES (0)", transaction: t));
        // Each write reads what the ones before it wrote, in order, even inside one batch.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Db.Write((c, t) => c.ExecuteAsync("UPDATE counter SET v = v + 1", transaction: t))));
        Assert.Equal(100, await Db.Read(c => c.ExecuteScalarAsync<long>("SELECT v FROM counter")));
    }
}
