using System.Security.Cryptography;
using Npgsql;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL database of one server's own, on the cluster CLOUDSFOR_TEST_POSTGRES names
/// (postgres://USER[:PASS]@HOST:PORT/DB, as tools/postgres-for-tests.sh prints it). test.sh sets it for the suite's
/// second run, so the same tests run once per store; unset, servers keep SQLite in their data folder.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The cluster the tests run against, or null for SQLite.</summary>
    public static readonly Uri? Cluster =
        Environment.GetEnvironmentVariable("CLOUDSFOR_TEST_POSTGRES") is { Length: > 0 } url ? new Uri(url) : null;

    readonly string name;
    readonly Uri cluster;

    TestDatabase(string name, Uri cluster, string url)
    {
        this.name = name;
        this.cluster = cluster;
        Url = url;
    }

    /// <summary>The server.key every server on this database is given (they must share one).</summary>
    public string ServerKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n";

    /// <summary>What the server is given as --database.</summary>
    public string Url { get; private set; }

    /// <summary>Servers started after this keep at most <paramref name="connections"/> connections to the database.</summary>
    public TestDatabase WithPoolSize(int connections)
    {
        Url = $"{Url.Split('?')[0]}?pool_size={connections}";
        return this;
    }

    /// <summary>A fresh, empty database when the tests run on PostgreSQL; null when they run on SQLite.</summary>
    public static async Task<TestDatabase?> CreateIfPostgres() => Cluster is null ? null : await Create(Cluster);

    /// <summary>A fresh, empty database on the suite's cluster, for tests that only make sense on PostgreSQL (Store=postgres).</summary>
    public static Task<TestDatabase> Create() =>
        Create(Cluster ?? throw new InvalidOperationException("CLOUDSFOR_TEST_POSTGRES is not set: this test runs in the PostgreSQL run of ./test.sh"));

    /// <summary>
    /// A fresh, empty database on the cluster at <paramref name="cluster"/> (postgres://USER@HOST:PORT/postgres), with its
    /// files in <paramref name="tablespace"/> when one is named.
    /// </summary>
    public static async Task<TestDatabase> Create(Uri cluster, string? tablespace = null)
    {
        var name = "cf_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        // CREATE DATABASE cannot run inside a transaction, so it is a command of its own.
        await using (var connection = Connection(cluster))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{(tablespace is null ? "" : " TABLESPACE " + tablespace)}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var userInfo = cluster.UserInfo.Length > 0 ? cluster.UserInfo + "@" : "";
        return new TestDatabase(name, cluster, $"{cluster.Scheme}://{userInfo}{cluster.Authority}/{name}");
    }

    /// <summary>
    /// Ends every session on the database, as an administrator's pg_terminate_backend, a restarted pooler or a failover
    /// does: a server's connections look open until their next statement fails.
    /// </summary>
    public async Task EndSessions()
    {
        await using var connection = Connection(cluster);
        await connection.OpenAsync();
        await using var end = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}'", connection);
        await end.ExecuteScalarAsync();
    }

    /// <summary>Drops the database once its server has exited; FORCE ends any connection a killed server's pool left behind.</summary>
    public void Dispose()
    {
        try
        {
            using var connection = Connection(cluster);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The cluster is thrown away after the run anyway; a database left over harms no test.
        }
    }

    /// <summary>A connection (not yet open, not pooled) to the database a postgres:// URL names.</summary>
    public static NpgsqlConnection Connection(Uri url)
    {
        var user = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port > 0 ? url.Port : 5432,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = url.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            // Tests open a connection for a moment; a pool would only keep sessions open, and stop DROP DATABASE.
            Pooling = false,
        };
        return new NpgsqlConnection(builder.ConnectionString);
    }
}
