using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CloudsFor.Store;

/// <summary>
/// The SQLite store: one file in WAL mode. Readers run in parallel on pooled connections; writers
/// take turns through one in-process lock, because SQLite has one writer anyway and queueing here is
/// cheaper than retrying on SQLITE_BUSY. synchronous=NORMAL survives a killed process (WAL);
/// see docs/operator-guide.md for the power-loss trade-off.
/// </summary>
public sealed class Db
{
    readonly string connectionString;
    readonly SemaphoreSlim writeLock = new(1, 1);

    // Pooled connections keep their settings, so they are applied once per physical connection (keyed by
    // its native handle, which lives exactly as long as it), not on every Open: that was 4 statements a query.
    static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    static Db() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Db(string path)
    {
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Describe => connectionString;

    public DbConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var handle = connection.Handle!;
        if (!Configured.TryGetValue(handle, out _))
        {
            connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
            Configured.TryAdd(handle, Configured);
        }
        return connection;
    }

    public async Task<T> Read<T>(Func<DbConnection, Task<T>> work)
    {
        await using var connection = Open();
        return await work(connection);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it is stored, or none.</summary>
    public async Task<T> Write<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        await writeLock.WaitAsync();
        try
        {
            await using var connection = Open();
            await using var transaction = await connection.BeginTransactionAsync();
            var result = await work(connection, transaction);
            await transaction.CommitAsync();
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    public Task Write(Func<DbConnection, DbTransaction, Task> work) =>
        Write<bool>(async (c, t) => { await work(c, t); return true; });
}
