using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// The few places where the SQL both stores run differs, kept out of the *Sql classes: the statements are written for
/// SQLite, and PostgreSQL gets them with SQLite's json_object renamed, SUM as int_sum (its schema defines that, json_group_array and
/// json_extract alike, see PostgresMigrations), and Dapper's list parameters (`x IN @list`, which Dapper expands into
/// one parameter per item for SQLite but passes to Npgsql as one array) as `x = ANY(@list)`: a statement with a list
/// goes through <see cref="For"/> with the list as an array. Flags are integer columns on both, so a bool is sent as 0 or 1.
/// </summary>
public static partial class Dialect
{
    static readonly ConcurrentDictionary<string, string> PostgresSql = new();

    /// <summary>The statement as the connection's store needs it (translated once per text).</summary>
    public static string For(DbConnection c, string sql) => c is NpgsqlConnection ? PostgresSql.GetOrAdd(sql, ForPostgres) : sql;

    static string ForPostgres(string sql)
    {
        sql = sql.Replace("json_object(", "json_build_object(", StringComparison.Ordinal);
        // PostgreSQL sums bigints as numeric (a decimal); the store's sums are of whole numbers, read as long.
        sql = sql.Replace("SUM(", "int_sum(", StringComparison.Ordinal);
        sql = NotInList().Replace(sql, "<> ALL($1)");
        return InList().Replace(sql, "= ANY($1)");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bNOT IN (@\w+)")]
    private static partial System.Text.RegularExpressions.Regex NotInList();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bIN (@\w+)")]
    private static partial System.Text.RegularExpressions.Regex InList();

    public static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        bool flag => flag ? 1L : 0L,
        Utf8Text text => System.Text.Encoding.UTF8.GetString(text.Bytes),
        _ => value,
    };

    /// <summary>
    /// Dapper sends a bool as a boolean, which PostgreSQL will not put into an integer column (SQLite stores it as
    /// 0 or 1 anyway): this handler sends 0 or 1 on both, and reads either back.
    /// </summary>
    public sealed class FlagsAsIntegers : SqlMapper.TypeHandler<bool>
    {
        /// <summary>Once, before the first query (<see cref="Db"/>'s static constructor).</summary>
        public static void Register()
        {
            // Dapper looks a type up in its own map before handlers; without this it never asks the handler.
            SqlMapper.RemoveTypeMap(typeof(bool));
            SqlMapper.AddTypeHandler(new FlagsAsIntegers());
        }

        public override void SetValue(IDbDataParameter parameter, bool value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value ? 1L : 0L;
        }

        public override bool Parse(object value) => value switch
        {
            bool flag => flag,
            _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0,
        };
    }
}

/// <summary>
/// Text a parameter takes as UTF-8 bytes (a view's JSON, which the serializer writes so): SQLite stores the bytes as they
/// are, PostgreSQL gets them as a string. As a string first, an event's 2-3 KB of JSON was made twice more on SQLite.
/// </summary>
public sealed record Utf8Text(byte[] Bytes);
