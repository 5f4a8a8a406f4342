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

    [Fact]
    public async Task A_requests_write_goes_ahead_of_background_writes_queued_before_it()
    {
        var (release, gated) = await HoldWriter();
        var background = await Queue("background", 100, inBackground: true);
        var request = await Queue("request", 1, inBackground: false);
        release();
        await Task.WhenAll([gated, .. background, .. request]);

        var ran = await Ran();
        Assert.Equal(101, ran.Count);
        Assert.Equal("request-0", ran[0]);
        Assert.Equal(Enumerable.Range(0, 100).Select(n => $"background-{n}"), ran.Skip(1));
    }

    [Fact]
    public async Task Background_writes_keep_their_share_while_requests_keep_the_writer_busy()
    {
        var (release, gated) = await HoldWriter();
        var requests = await Queue("request", 300, inBackground: false);
        var background = await Queue("background", 100, inBackground: true);
        release();
        await Task.WhenAll([gated, .. requests, .. background]);

        var ran = await Ran();
        // Each kind in the order it was queued, and the background writes not left until the requests are all done.
        Assert.Equal(Enumerable.Range(0, 300).Select(n => $"request-{n}"), ran.Where(r => r.StartsWith("request-", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, 100).Select(n => $"background-{n}"), ran.Where(r => r.StartsWith("background-", StringComparison.Ordinal)));
        Assert.True(ran.IndexOf("background-99") < ran.IndexOf("request-299"), string.Join(", ", ran));
    }

    /// <summary>Keeps the writer inside a write until released, so what is queued meanwhile waits, all at once.</summary>
    async Task<(Action Release, Task Gated)> HoldWriter()
    {
        await Db.Write((c, t) => c.ExecuteAsync("CREATE TABLE ran (seq INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL)", transaction: t));
        var gate = new TaskCompletionSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = Db.Write(async (c, t) =>
        {
            entered.SetResult();
            await gate.Task;
        });
        await entered.Task;
        return (() => gate.SetResult(), gated);
    }

    // Db.Background is set in a flow of its own, as the worker's runners set it, so the test's own flow keeps its value.
    Task<List<Task>> Queue(string kind, int count, bool inBackground) => Task.Run(() =>
    {
        Db.Background = inBackground;
        return Enumerable.Range(0, count).Select(n => (Task)Db.Write((c, t) =>
            c.ExecuteAsync("INSERT INTO ran (label) VALUES (@label)", new { label = $"{kind}-{n}" }, t))).ToList();
    });

    Task<List<string>> Ran() => Db.Read(async c => (await c.QueryAsync<string>("SELECT label FROM ran ORDER BY seq")).ToList());
}
