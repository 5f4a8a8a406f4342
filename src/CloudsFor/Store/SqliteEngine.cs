using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CloudsFor.Store;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. synchronous=FULL (the default) syncs the log at every commit, so an
/// acknowledged write survives power loss, as PostgreSQL's commits do; NORMAL survives a killed process only (see
/// docs/operator-guide.md). Group commit pays the sync once per batch.
/// temp_store=MEMORY keeps statement journals in memory: a statement that fires a trigger (a VM's insert keeps the usage
/// counts) needs one, and in a file it cost a temporary file's create and delete per statement, which made an insert
/// into vms four times slower (68 µs against 16 µs measured) and the writer the limit of POST /vms.
/// </summary>
public sealed class SqliteEngine : StoreEngine
{
    // Connections keep their settings, so they are applied once per physical connection (keyed by its native
    // handle, which lives exactly as long as it), not on every Open: that was 4 statements a query.
    static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    readonly string connectionString;
    readonly string synchronous;

    // The wal-index header, mapped on first use (see LastCommit), with the connection that keeps its file in use.
    readonly Lock walIndexTurn = new();
    WalIndexHeader? walIndex;
    DbConnection? walIndexHolder;
    long nextWalIndexAttempt;

    readonly WalCheckpoints checkpoints;

    // Settings of the library itself, which it takes only before its first connection opens (later they are refused,
    // harmlessly: the defaults stay). Each connection here is used by one task at a time (Db hands it out and takes it
    // back), so SQLite need not lock a connection's mutex on every call (MULTITHREAD rather than SERIALIZED), nor a
    // global one on every allocation to count memory no one reads (MEMSTATUS). Both locks were 7 % of the CPU a power
    // action cost.
    static SqliteEngine()
    {
        Batteries_V2.Init();
        raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
        raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    public SqliteEngine(string path, bool fullSync = true)
    {
        synchronous = fullSync ? "FULL" : "NORMAL";
        checkpoints = new WalCheckpoints(this);
        Path = path;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public override string Describe => Path;

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var handle = connection.Handle!;
        if (!Configured.TryGetValue(handle, out _))
        {
            connection.Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY;");
            Configured.TryAdd(handle, Configured);
        }
        return connection;
    }

    /// <summary>
    /// Read from the wal-index header in shared memory: every commit to the file, by any process, changes it, and reading
    /// it costs no lock and no system call where a query costs both (two fcntl calls under a mutex every reader shares).
    /// SQLite removes the -shm file only when the last connection to the database closes, so a connection of our own is
    /// held open for as long as the mapping is read: the mapped file stays the one every writer updates.
    /// </summary>
    public override CommitStamp? LastCommit() => (Volatile.Read(ref walIndex) ?? MapWalIndex())?.Read();

    WalIndexHeader? MapWalIndex()
    {
        lock (walIndexTurn)
        {
            if (walIndex is not null || Environment.TickCount64 < nextWalIndexAttempt)
                return walIndex;
            // A store that is not a file (or has no -shm yet) is tried again a second later, not on every request.
            nextWalIndexAttempt = Environment.TickCount64 + 1000;
            try
            {
                walIndexHolder ??= Open();
                walIndexHolder.ExecuteScalar("SELECT count(*) FROM sqlite_master");
            }
            catch (SqliteException)
            {
                return null;
            }
            Volatile.Write(ref walIndex, WalIndexHeader.Map(Path));
            return walIndex;
        }
    }

    public override Task BeginWrite(DbConnection connection, DbTransaction transaction)
    {
        WalCheckpoints.TakeOver((SqliteConnection)connection);
        return Task.CompletedTask;
    }

    public override void AfterCommit(DbConnection connection) => checkpoints.AfterCommit((SqliteConnection)connection);

    public override void Migrate(Db db) => Migrations.Apply(db);

    // SQLITE_FULL (13) and the SQLITE_IOERR family (10, and its extended codes such as IOERR_FSYNC): the file system's
    // trouble, not the statement's. SQLite rolls the transaction back and the connection stays usable.
    protected override StoreFault EngineFault(Exception e) => e is SqliteException s
        ? (s.SqliteErrorCode & 0xff) switch
        {
            13 => StoreFault.DiskFull,
            10 => StoreFault.DiskFailing,
            _ => StoreFault.None,
        }
        : StoreFault.None;

    /// <summary>See <see cref="WalTail"/>: a commit whose sync failed must not come back after a crash.</summary>
    public override void AfterFailedWrite(StoreFault fault)
    {
        // Holding the write lock (BEGIN IMMEDIATE writes nothing) keeps any other process from committing meanwhile.
        using var connection = Open();
        connection.Execute("BEGIN IMMEDIATE");
        try
        {
            WalTail.Cut(Path);
        }
        finally
        {
            connection.Execute("ROLLBACK");
        }
    }
}
