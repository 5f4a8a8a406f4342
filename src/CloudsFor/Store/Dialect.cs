using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// The few places where the SQL both stores run differs, kept out of the *Sql classes: the statements are written for
/// SQLite, and PostgreSQL gets them with SQLite's json_object renamed (its schema defines json_group_array and
/// json_extract alike, see PostgresMigrations). Flags are integer columns on both, so a bool is sent as 0 or 1.
/// </summary>
public static class Dialect
{
    static readonly ConcurrentDictionary<string, string> PostgresSql = new();

    /// <summary>The statement as the connection's store needs it (translated once per text).</summary>
    public static string For(DbConnection c, string sql) =>
        c is NpgsqlConnection ? PostgresSql.GetOrAdd(sql, s => s.Replace("json_object(", "json_build_object(", StringComparison.Ordinal)) : sql;

    public static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        bool flag => flag ? 1L : 0L,
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
