using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Dapper;

namespace CloudsFor.Store;

/// <summary>
/// The statements every request runs, prepared once per connection and reused with new values. The
/// store keeps its connections open (<see cref="Db"/>), and for these small queries SQLite spent more
/// time parsing and planning the SQL than running it. Parameters come from an object's properties,
/// named as in the SQL (@Id for Id); rows are mapped by Dapper as everywhere else.
/// </summary>
public static class Prepared
{
    /// <summary>A statement prepared on one connection, with the row mapper Dapper made for its columns.</summary>
    sealed class Statement(DbCommand command)
    {
        public DbCommand Command { get; set; } = command;
        public Delegate? Parser;
    }

    static readonly ConditionalWeakTable<DbConnection, Dictionary<string, Statement>> Statements = new();
    static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static async Task<List<T>> Query<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null)
    {
        var statement = Bind(c, t, sql, args);
        await using var reader = await statement.Command.ExecuteReaderAsync();
        var rows = new List<T>();
        if (!reader.HasRows)
            return rows;
        // The columns of a prepared statement never change, so its mapper is looked up once, not per query.
        var parse = statement.Parser as Func<DbDataReader, T> ?? reader.GetRowParser<T>();
        statement.Parser = parse;
        while (await reader.ReadAsync())
        {
            try
            {
                rows.Add(parse(reader));
            }
            catch (InvalidCastException)
            {
                // A value of another storage class than the first rows had: Dapper makes a mapper for it.
                statement.Parser = parse = reader.GetRowParser<T>();
                rows.Add(parse(reader));
            }
        }
        return rows;
    }

    /// <summary>The row (by a key: at most one), or the type's default.</summary>
    public static async Task<T?> One<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null) =>
        (await Query<T>(c, sql, args, t)) is [var row] ? row : default;

    public static async Task<T> Scalar<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null)
    {
        var value = await Bind(c, t, sql, args).Command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    public static Task<int> Execute(DbConnection c, DbTransaction t, string sql, object? args = null) =>
        Bind(c, t, sql, args).Command.ExecuteNonQueryAsync();

    static Statement Bind(DbConnection c, DbTransaction? t, string sql, object? args)
    {
        var statements = Statements.GetOrCreateValue(c);
        if (!statements.TryGetValue(sql, out var statement))
        {
            statements[sql] = statement = new Statement(c.CreateCommand());
            statement.Command.CommandText = Dialect.For(c, sql);
        }
        // Npgsql prepares a statement by its text on the connection by itself (auto-prepare) and keeps the parameters of
        // a command it prepared: a reused command would send old values. So on PostgreSQL each call gets a new command.
        if (c is Npgsql.NpgsqlConnection)
        {
            statement.Command.Dispose();
            statement.Command = c.CreateCommand();
            statement.Command.CommandText = Dialect.For(c, sql);
        }
        var command = statement.Command;
        command.Transaction = t;
        command.Parameters.Clear();
        if (args is not null)
            foreach (var property in Properties.GetOrAdd(args.GetType(), type => type.GetProperties()))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + property.Name;
                parameter.Value = Dialect.Value(property.GetValue(args));
                command.Parameters.Add(parameter);
            }
        return statement;
    }
}
