using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// Plain SQL on a server's store, whichever it has: the SQLite file in its data folder or its PostgreSQL database.
/// For tests that look behind the API or change a row behind the server's back. Both stores have the same tables and
/// column types (text and integers), so one statement serves both; parameters are written @name, which both read.
/// </summary>
public static class StoreSql
{
    /// <summary>An open, unpooled connection. Read-only leaves a killed server's SQLite log for the next start to recover.</summary>
    public static DbConnection Open(ServerProcess server, bool readOnly = false)
    {
        DbConnection connection = server.Database is { } url
            ? TestDatabase.Connection(new Uri(url))
            : new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(server.DataDir, "cloudsfor.db"),
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
                Pooling = false,
                // The running server may hold the write lock for a moment.
                DefaultTimeout = 30,
            }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs a statement that changes rows; returns how many it changed.</summary>
    public static int Execute(ServerProcess server, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(server);
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row a query returns, read without writing.</summary>
    public static List<T> Column<T>(ServerProcess server, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(server, readOnly: true);
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
            values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
