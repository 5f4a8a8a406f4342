using System.Collections;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CloudsFor.Store;

/// <summary>
/// A statement of <see cref="Prepared"/> on SQLite, run through SQLite's own calls instead of a Microsoft.Data.Sqlite
/// command. Each run of such a command made a parameter object and a binder per value, a data reader, a record with a
/// dictionary and an iterator over its statements: 37 % of all the bytes a server under POST /vms allocated, and with
/// them the garbage collections every request waits through. Here a statement binds its values straight from the
/// arguments' properties, and Dapper reads the rows through <see cref="Row"/>, made once per statement. Values are
/// bound and read as Microsoft.Data.Sqlite does it, so the rows come out the same: integers as long, reals as double,
/// text as string, blobs as byte[], NULL as DBNull; a bool binds as 0 or 1.
/// </summary>
sealed class SqliteStatement
{
    // SQLITE_PREPARE_PERSISTENT: the statement is kept for the life of the connection.
    const uint Persistent = 1;

    // As long as Microsoft.Data.Sqlite retried a statement that found the store locked (its command timeout), after
    // SQLite's own busy handler (busy_timeout) has waited.
    static readonly TimeSpan BusyRetries = TimeSpan.FromSeconds(30);

    readonly sqlite3 db;
    // One SQL text may hold several statements ("RELEASE item; SAVEPOINT item"): they run in order.
    readonly sqlite3_stmt[] parts;
    readonly Row row;

    // For the arguments' type last bound (null for none): for each part, the argument that each of its parameters takes.
    Type? boundType;
    Func<object, object?>[][]? parameters;

    /// <summary>Dapper's row mapper for this statement's columns, made at its first row.</summary>
    public Delegate? Parser;

    SqliteStatement(sqlite3 db, sqlite3_stmt[] parts)
    {
        this.db = db;
        this.parts = parts;
        row = new Row(parts[^1]);
    }

    public static SqliteStatement Prepare(sqlite3 db, string sql)
    {
        var parts = new List<sqlite3_stmt>();
        var rest = sql;
        while (rest.Length > 0)
        {
            var rc = raw.sqlite3_prepare_v3(db, rest, Persistent, out var statement, out rest);
            SqliteException.ThrowExceptionForRC(rc, db);
            // Only blanks or a comment were left: SQLite makes no statement of them.
            if (statement.IsInvalid)
                break;
            parts.Add(statement);
        }
        if (parts.Count == 0)
            throw new ArgumentException("the SQL holds no statement", nameof(sql));
        return new SqliteStatement(db, [.. parts]);
    }

    /// <summary>
    /// Runs the statements in order; the first that returns rows gives them to <paramref name="onRow"/> (which says
    /// whether it wants the next). Returns the rows the others inserted, updated or deleted.
    /// </summary>
    public int Run(object? args, Func<Row, bool>? onRow = null)
    {
        Bind(args);
        var changes = 0;
        var rowsGiven = false;
        foreach (var part in parts)
        {
            try
            {
                var rc = Step(part);
                if (rc == raw.SQLITE_ROW && !rowsGiven && onRow is not null)
                {
                    rowsGiven = true;
                    row.Statement = part;
                    while (rc == raw.SQLITE_ROW && onRow(row))
                        rc = Step(part);
                }
                else
                {
                    // A statement that returns rows nobody reads (INSERT … RETURNING for Execute) has done its change at
                    // its first step; the others run to their end.
                    while (rc == raw.SQLITE_ROW && raw.sqlite3_stmt_readonly(part) != 0)
                        rc = Step(part);
                }
                if (raw.sqlite3_stmt_readonly(part) == 0)
                    changes += raw.sqlite3_changes(db);
            }
            finally
            {
                // A statement that is not reset keeps its read of the store open, and with it the log from starting over.
                raw.sqlite3_reset(part);
            }
        }
        return changes;
    }

    int Step(sqlite3_stmt part)
    {
        var rc = raw.sqlite3_step(part);
        if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            var waited = Stopwatch.StartNew();
            while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && waited.Elapsed < BusyRetries)
            {
                raw.sqlite3_reset(part);
                Thread.Sleep(150);
                rc = raw.sqlite3_step(part);
            }
        }
        if (rc is raw.SQLITE_ROW or raw.SQLITE_DONE)
            return rc;
        // Read before the reset in Run's finally, which may set another message.
        throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
    }

    void Bind(object? args)
    {
        var type = args?.GetType();
        if (parameters is null || type != boundType)
        {
            parameters = parts.Select(part => Parameters(part, type)).ToArray();
            boundType = type;
        }
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            var getters = parameters![p];
            for (var i = 0; i < getters.Length; i++)
                BindValue(part, i + 1, getters[i](args!));
        }
    }

    /// <summary>The argument (a property of <paramref name="type"/>) for each parameter of the statement, by its name.</summary>
    static Func<object, object?>[] Parameters(sqlite3_stmt part, Type? type)
    {
        var count = raw.sqlite3_bind_parameter_count(part);
        var getters = new Func<object, object?>[count];
        var properties = type is null ? [] : Prepared.Arguments(type);
        for (var i = 0; i < count; i++)
        {
            // Named as @Name (or :Name, $Name): the property of that exact name, as Microsoft.Data.Sqlite matched them.
            var name = raw.sqlite3_bind_parameter_name(part, i + 1).utf8_to_string() ?? "";
            var property = properties.FirstOrDefault(p => name.Length > 1 && p.Name == name[1..]);
            getters[i] = property?.Get ?? throw new InvalidOperationException($"Must add values for the following parameters: {name}");
        }
        return getters;
    }

    void BindValue(sqlite3_stmt part, int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(part, index),
            // As UTF-16, which SQLite converts as it copies: the UTF-8 overload made a byte array of every string.
            string text => raw.sqlite3_bind_text16(part, index, text),
            Utf8Text text => raw.sqlite3_bind_text(part, index, (ReadOnlySpan<byte>)text.Bytes),
            long number => raw.sqlite3_bind_int64(part, index, number),
            int number => raw.sqlite3_bind_int64(part, index, number),
            bool flag => raw.sqlite3_bind_int64(part, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(part, index, real),
            float real => raw.sqlite3_bind_double(part, index, real),
            byte[] bytes => raw.sqlite3_bind_blob(part, index, bytes),
            short or byte or sbyte or ushort or uint or Enum => raw.sqlite3_bind_int64(part, index, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException($"a value of type {value.GetType().Name} for a SQLite statement"),
        };
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>
    /// The current row of a statement, for Dapper's row mappers (which read a DbDataReader). Only what a mapper uses
    /// reads anything: this is not a reader to hand out.
    /// </summary>
    public sealed class Row(sqlite3_stmt statement) : DbDataReader
    {
        public sqlite3_stmt Statement { get; set; } = statement;

        public override int FieldCount => raw.sqlite3_column_count(Statement);

        public override string GetName(int ordinal) => raw.sqlite3_column_name(Statement, ordinal).utf8_to_string();

        public override int GetOrdinal(string name)
        {
            for (var i = 0; i < FieldCount; i++)
                if (GetName(i) == name)
                    return i;
            throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }

        /// <summary>The type of the value in this row; for NULL, what the column's declared type stores.</summary>
        public override Type GetFieldType(int ordinal) => (raw.sqlite3_column_type(Statement, ordinal) is var type && type == raw.SQLITE_NULL
            ? Affinity(raw.sqlite3_column_decltype(Statement, ordinal).utf8_to_string())
            : type) switch
        {
            raw.SQLITE_INTEGER => typeof(long),
            raw.SQLITE_FLOAT => typeof(double),
            raw.SQLITE_TEXT => typeof(string),
            _ => typeof(byte[]),
        };

        // SQLite's rules for a declared type's affinity (NUMERIC counted as text, as Microsoft.Data.Sqlite does).
        static int Affinity(string? declared) => declared switch
        {
            null or "" => raw.SQLITE_BLOB,
            _ when Has(declared, "INT") => raw.SQLITE_INTEGER,
            _ when Has(declared, "CHAR") || Has(declared, "CLOB") || Has(declared, "TEXT") => raw.SQLITE_TEXT,
            _ when Has(declared, "BLOB") => raw.SQLITE_BLOB,
            _ when Has(declared, "REAL") || Has(declared, "FLOA") || Has(declared, "DOUB") => raw.SQLITE_FLOAT,
            _ => raw.SQLITE_TEXT,
        };

        static bool Has(string declared, string part) => declared.Contains(part, StringComparison.OrdinalIgnoreCase);

        public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

        public override object GetValue(int ordinal) => raw.sqlite3_column_type(Statement, ordinal) switch
        {
            raw.SQLITE_INTEGER => raw.sqlite3_column_int64(Statement, ordinal),
            raw.SQLITE_FLOAT => raw.sqlite3_column_double(Statement, ordinal),
            raw.SQLITE_TEXT => raw.sqlite3_column_text(Statement, ordinal).utf8_to_string(),
            raw.SQLITE_BLOB => raw.sqlite3_column_blob(Statement, ordinal).ToArray(),
            _ => DBNull.Value,
        };

        public override bool IsDBNull(int ordinal) => raw.sqlite3_column_type(Statement, ordinal) == raw.SQLITE_NULL;

        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));
        public override long GetInt64(int ordinal) => raw.sqlite3_column_int64(Statement, ordinal);
        public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));
        public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));
        public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));
        public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;
        public override double GetDouble(int ordinal) => raw.sqlite3_column_double(Statement, ordinal);
        public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);
        public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
        public override string GetString(int ordinal) => raw.sqlite3_column_text(Statement, ordinal).utf8_to_string();
        public override char GetChar(int ordinal) => GetString(ordinal)[0];
        public override DateTime GetDateTime(int ordinal) => DateTime.Parse(GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture);
        public override Guid GetGuid(int ordinal) => new(raw.sqlite3_column_blob(Statement, ordinal));

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var blob = raw.sqlite3_column_blob(Statement, ordinal);
            if (buffer is null)
                return blob.Length;
            var count = (int)Math.Min(length, blob.Length - dataOffset);
            blob.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
            return count;
        }

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        {
            var text = GetString(ordinal);
            if (buffer is null)
                return text.Length;
            var count = (int)Math.Min(length, text.Length - dataOffset);
            text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
            return count;
        }

        public override int GetValues(object[] values)
        {
            var count = Math.Min(values.Length, FieldCount);
            for (var i = 0; i < count; i++)
                values[i] = GetValue(i);
            return count;
        }

        public override int Depth => 0;
        public override bool HasRows => true;
        public override bool IsClosed => false;
        public override int RecordsAffected => -1;
        public override bool NextResult() => false;
        public override bool Read() => throw new NotSupportedException("the statement steps its own rows");
        public override IEnumerator GetEnumerator() => throw new NotSupportedException("the statement steps its own rows");
    }
}
