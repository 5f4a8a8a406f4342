using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CloudsFor.Store;

/// <summary>
/// The statements every request runs, prepared once per connection and reused with new values. The
/// store keeps its connections open (<see cref="Db"/>), and for these small queries SQLite spent more
/// time parsing and planning the SQL than running it. Parameters come from an object's properties,
/// named as in the SQL (@Id for Id); rows are mapped by Dapper as everywhere else. On SQLite they run through SQLite's
/// own calls (<see cref="SqliteStatement"/>), on PostgreSQL through Npgsql's commands.
/// </summary>
public static class Prepared
{
    /// <summary>A statement's command on one PostgreSQL connection, with the row mapper Dapper made for its columns.</summary>
    sealed class Statement(DbCommand command)
    {
        public DbCommand Command { get; set; } = command;
        public Delegate? Parser;
    }

    static readonly ConditionalWeakTable<DbConnection, Dictionary<string, Statement>> Statements = new();
    // By the native connection, which a pooled SqliteConnection hands on to the next one that opens: its statements stay prepared.
    static readonly ConditionalWeakTable<sqlite3, Dictionary<string, SqliteStatement>> SqliteStatements = new();
    static readonly ConcurrentDictionary<Type, Argument[]> ArgumentsByType = new();

    /// <summary>A property of an arguments object, read by a compiled getter (reflection's was 2 % of the writer's time).</summary>
    public sealed record Argument(string Name, Func<object, object?> Get);

    /// <summary>The properties of <paramref name="type"/> that statements take their parameters from.</summary>
    public static Argument[] Arguments(Type type) => ArgumentsByType.GetOrAdd(type, t => t.GetProperties().Select(p =>
    {
        var args = Expression.Parameter(typeof(object));
        var read = Expression.Convert(Expression.Property(Expression.Convert(args, t), p), typeof(object));
        return new Argument(p.Name, Expression.Lambda<Func<object, object?>>(read, args).Compile());
    }).ToArray());

    public static Task<List<T>> Query<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null) =>
        c is SqliteConnection sqlite ? Task.FromResult(QuerySqlite<T>(sqlite, sql, args)) : QueryCommand<T>(c, sql, args, t);

    static List<T> QuerySqlite<T>(SqliteConnection c, string sql, object? args)
    {
        var statement = SqliteStatementFor(c, sql);
        var rows = new List<T>();
        statement.Run(args, row =>
        {
            rows.Add(Parse<T>(ref statement.Parser, row));
            return true;
        });
        return rows;
    }

    static SqliteStatement SqliteStatementFor(SqliteConnection c, string sql)
    {
        var statements = SqliteStatements.GetOrCreateValue(c.Handle!);
        if (!statements.TryGetValue(sql, out var statement))
            statements[sql] = statement = SqliteStatement.Prepare(c.Handle!, sql);
        return statement;
    }

    static async Task<List<T>> QueryCommand<T>(DbConnection c, string sql, object? args, DbTransaction? t)
    {
        var statement = Bind(c, t, sql, args);
        await using var reader = await statement.Command.ExecuteReaderAsync();
        var rows = new List<T>();
        if (!reader.HasRows)
            return rows;
        while (await reader.ReadAsync())
            rows.Add(Parse<T>(ref statement.Parser, reader));
        return rows;
    }

    /// <summary>
    /// The row, through the mapper Dapper made for the statement's columns: they never change, so it is made once, not
    /// per query. A value of another storage class than the first rows had gets a new mapper.
    /// </summary>
    static T Parse<T>(ref Delegate? parser, DbDataReader row)
    {
        var parse = parser as Func<DbDataReader, T> ?? row.GetRowParser<T>();
        parser = parse;
        try
        {
            return parse(row);
        }
        catch (InvalidCastException)
        {
            parser = parse = row.GetRowParser<T>();
            return parse(row);
        }
    }

    /// <summary>The row (by a key: at most one), or the type's default.</summary>
    public static async Task<T?> One<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null) =>
        (await Query<T>(c, sql, args, t)) is [var row] ? row : default;

    public static async Task<T> Scalar<T>(DbConnection c, string sql, object? args = null, DbTransaction? t = null)
    {
        object? value = null;
        if (c is SqliteConnection sqlite)
            SqliteStatementFor(sqlite, sql).Run(args, row => { value = row.GetValue(0); return false; });
        else
            value = await Bind(c, t, sql, args).Command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    public static Task<int> Execute(DbConnection c, DbTransaction t, string sql, object? args = null) =>
        c is SqliteConnection sqlite ? Task.FromResult(SqliteStatementFor(sqlite, sql).Run(args)) : Bind(c, t, sql, args).Command.ExecuteNonQueryAsync();

    static Statement Bind(DbConnection c, DbTransaction? t, string sql, object? args)
    {
        var statements = Statements.GetOrCreateValue(c);
        if (!statements.TryGetValue(sql, out var statement))
            statements[sql] = statement = new Statement(c.CreateCommand());
        // Only PostgreSQL comes here (SQLite runs SqliteStatement). Npgsql prepares a statement by its text on the
        // connection by itself (auto-prepare) and keeps the parameters of a command it prepared: a reused command would
        // send old values. So each call gets a new command; what is kept per statement is its row mapper.
        statement.Command.Dispose();
        statement.Command = c.CreateCommand();
        statement.Command.CommandText = Dialect.For(c, sql);
        var command = statement.Command;
        command.Transaction = t;
        command.Parameters.Clear();
        if (args is not null)
            foreach (var argument in Arguments(args.GetType()))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + argument.Name;
                parameter.Value = Dialect.Value(argument.Get(args));
                command.Parameters.Add(parameter);
            }
        return statement;
    }
}
