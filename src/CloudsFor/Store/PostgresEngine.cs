using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// The store on PostgreSQL, shared by any number of servers. Writes keep SQLite's one-writer rule across all of them:
/// each write batch first takes one transaction-scoped advisory lock, so the read-then-write steps inside a write
/// (free IP address, limits, names) stay as safe as on SQLite, ids from sequences follow commit order (the event
/// stream relies on it), and group commit still pays one commit per batch.
/// </summary>
public sealed class PostgresEngine : StoreEngine
{
    /// <summary>The advisory lock every write batch takes ("CloudsFr" in ASCII); migrations use the next one.</summary>
    public const long WriteLock = 0x436c6f7564734672;

    readonly NpgsqlDataSource source;

    public PostgresEngine(DatabaseUrl url)
    {
        Url = url;
        source = new NpgsqlDataSourceBuilder(url.ConnectionString).Build();
    }

    public DatabaseUrl Url { get; }

    public override string Describe => Url.Shown;

    public override DbConnection Open() => source.OpenConnection();

    public override async ValueTask<DbConnection> OpenAsync() => await source.OpenConnectionAsync();

    /// <summary>The pool less the writer's and the commit listener's connections.</summary>
    public override int? MaxReaders => Math.Max(1, new NpgsqlConnectionStringBuilder(Url.ConnectionString).MaxPoolSize - 2);

    /// <summary>Takes the write lock, and asks for a notification to the other servers at commit (<see cref="CommitListener"/>).</summary>
    public override async Task BeginWrite(DbConnection connection, DbTransaction transaction)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({WriteLock}), pg_notify('{CommitListener.Channel}', '')", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync();
    }

    public override void Migrate(Db db)
    {
        using var connection = source.OpenConnection();
        PostgresMigrations.Apply(connection);
    }

    protected override StoreFault EngineFault(Exception e) => e switch
    {
        // Disk full (53100) and PostgreSQL's own I/O errors (58030).
        PostgresException { SqlState: "53100" } => StoreFault.DiskFull,
        PostgresException { SqlState: "58030" } => StoreFault.DiskFailing,
        // A new session writes the database's relation cache file (pg_internal.init) beside its tables when the file is
        // missing (PostgreSQL deletes it whenever the system catalogs change); on a full disk that write fails and the
        // session ends FATAL with the internal code XX000 instead of 53100, so every new connection is refused.
        PostgresException { SqlState: "XX000", InvariantSeverity: "FATAL", File: "relcache.c" } => StoreFault.DiskFull,
        // Any other FATAL or PANIC ended the session itself (the statement was never the problem): the store is not usable now.
        PostgresException { InvariantSeverity: "FATAL" or "PANIC" } => StoreFault.Unreachable,
        // Connection failures (08…), the server shutting down or restarting (57P…), out of connections or memory (53…), and
        // what Npgsql calls transient: a statement cancelled at its timeout on a loaded server (57014), a deadlock or lock timeout.
        PostgresException p when p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || p.SqlState.StartsWith("53", StringComparison.Ordinal) => StoreFault.Unreachable,
        NpgsqlException n when n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException => StoreFault.Unreachable,
        _ => StoreFault.None,
    };
}
