using System.Data.Common;
using CloudsFor.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Store;

/// <summary>
/// Prepared statements on SQLite run through SQLite's own calls (SqliteStatement), not Microsoft.Data.Sqlite's commands:
/// what they store and read back must be what Dapper over Microsoft.Data.Sqlite stores and reads, errors must come as the
/// same SqliteException, and a statement must let go of its read of the store once it has answered.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class PreparedSqliteTests : IDisposable
{
    readonly StoreFile store = new();

    public void Dispose() => store.Dispose();

    public sealed class Values
    {
        public long Id { get; set; }
        public int Count { get; set; }
        public long? Maybe { get; set; }
        public bool Flag { get; set; }
        public double Ratio { get; set; }
        public string? Text { get; set; }
        public byte[]? Bytes { get; set; }
    }

    const string Insert = "INSERT INTO vals (id, count, maybe, flag, ratio, text, bytes) VALUES (@Id, @Count, @Maybe, @Flag, @Ratio, @Text, @Bytes)";
    const string SelectAll = "SELECT id, count, maybe, flag, ratio, text, bytes FROM vals ORDER BY id";

    async Task<DbConnection> Table()
    {
        var c = store.Db.Open();
        await c.ExecuteAsync("CREATE TABLE vals (id INTEGER PRIMARY KEY, count INTEGER NOT NULL, maybe INTEGER, flag INTEGER NOT NULL, ratio REAL, text TEXT, bytes BLOB)");
        return c;
    }

    [Fact]
    public async Task Every_kind_of_value_is_stored_and_read_back_as_Dapper_over_Microsoft_Data_Sqlite_does()
    {
        await using var c = await Table();
        await using var t = await c.BeginTransactionAsync();
        // The first row read has NULLs where later rows have values: the row mapper must still read those.
        Values[] rows =
        [
            new() { Id = 1, Count = 0, Maybe = null, Flag = false, Ratio = 0.5, Text = null, Bytes = null },
            new() { Id = 2, Count = int.MaxValue, Maybe = long.MinValue, Flag = true, Ratio = -1e300, Text = "ünïcödé ✓", Bytes = [0, 1, 255] },
            new() { Id = 3, Count = -7, Maybe = 42, Flag = true, Ratio = 3, Text = "", Bytes = [] },
        ];
        foreach (var row in rows)
            Assert.Equal(1, await Prepared.Execute(c, t, Insert, row));
        await t.CommitAsync();

        var prepared = await Prepared.Query<Values>(c, SelectAll);
        var dapper = (await c.QueryAsync<Values>(SelectAll)).ToList();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(dapper), System.Text.Json.JsonSerializer.Serialize(prepared));
        Assert.Equal(long.MinValue, prepared[1].Maybe);
        Assert.Equal("ünïcödé ✓", prepared[1].Text);
        Assert.Equal([0, 1, 255], prepared[1].Bytes);
        Assert.Null(prepared[0].Maybe);
        // A flag is stored as 0 or 1, as Microsoft.Data.Sqlite stores a bool.
        Assert.Equal([0L, 1L, 1L], (await c.QueryAsync<long>("SELECT flag FROM vals ORDER BY id")).ToList());

        Assert.Equal(3L, await Prepared.Scalar<long>(c, "SELECT count(*) FROM vals WHERE flag = @flag OR id = @id", new { flag = true, id = 1 }));
        Assert.Null(await Prepared.One<Values>(c, SelectAll.Replace("ORDER BY", "WHERE id = @id ORDER BY", StringComparison.Ordinal), new { id = 9 }));
    }

    [Fact]
    public async Task Text_given_as_UTF8_bytes_is_stored_as_text()
    {
        await using var c = await Table();
        await using var t = await c.BeginTransactionAsync();
        const string json = """{"name":"café ✓"}""";
        await Prepared.Execute(c, t, "INSERT INTO vals (id, count, flag, text) VALUES (1, 0, 0, @text)", new { text = new Utf8Text(System.Text.Encoding.UTF8.GetBytes(json)) });
        await t.CommitAsync();
        Assert.Equal(("text", json), await c.QuerySingleAsync<(string, string)>("SELECT typeof(text), text FROM vals"));
    }

    [Fact]
    public async Task Execute_counts_the_rows_changed_by_every_statement_of_its_text()
    {
        await using var c = await Table();
        await using var t = await c.BeginTransactionAsync();
        for (var id = 1; id <= 3; id++)
            await Prepared.Execute(c, t, Insert, new Values { Id = id, Text = "x" });
        Assert.Equal(3, await Prepared.Execute(c, t, "UPDATE vals SET count = count + 1"));
        Assert.Equal(2, await Prepared.Execute(c, t, "UPDATE vals SET text = 'y' WHERE id < 3; SAVEPOINT s; RELEASE s"));
        Assert.Equal(0, await Prepared.Execute(c, t, "UPDATE vals SET text = 'z' WHERE id > 9"));
        // INSERT … RETURNING through Scalar: the row is inserted and its value returned.
        Assert.Equal(4L, await Prepared.Scalar<long>(c, "INSERT INTO vals (id, count, flag) VALUES (@id, 0, 0) RETURNING id", new { id = 4 }));
        await t.CommitAsync();
        Assert.Equal(["y", "y", "x", null], (await c.QueryAsync<string?>("SELECT text FROM vals ORDER BY id")).ToList());
    }

    [Fact]
    public async Task A_failed_statement_throws_SQLites_error_and_runs_again_afterwards()
    {
        await using var c = await Table();
        await using var t = await c.BeginTransactionAsync();
        await Prepared.Execute(c, t, Insert, new Values { Id = 1 });
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => Prepared.Execute(c, t, Insert, new Values { Id = 1 }));
        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1, await Prepared.Execute(c, t, Insert, new Values { Id = 2 }));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => Prepared.Execute(c, t, "UPDATE vals SET count = @count", new { other = 1 }));
        Assert.Contains("@count", missing.Message, StringComparison.Ordinal);
        await t.CommitAsync();
    }

    [Fact]
    public async Task A_statement_that_answered_from_its_first_row_lets_the_log_start_over()
    {
        await using var c = await Table();
        await using (var t = await c.BeginTransactionAsync())
        {
            for (var id = 1; id <= 50; id++)
                await Prepared.Execute(c, t, Insert, new Values { Id = id });
            await t.CommitAsync();
        }
        // Scalar reads only the first of 50 rows; a statement left in the middle of its rows would keep its snapshot,
        // and with it every page of the log, so a TRUNCATE checkpoint could not finish (its first column says busy).
        Assert.Equal(1L, await Prepared.Scalar<long>(c, "SELECT id FROM vals ORDER BY id"));
        await using var other = store.Db.Open();
        var (busy, _, _) = await other.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.Equal(0L, busy);
    }
}
