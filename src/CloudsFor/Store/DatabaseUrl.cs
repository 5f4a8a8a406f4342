using System.Globalization;
using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// --database postgres://USER:PASSWORD@HOST:PORT/DB?pool_size=N&amp;sslmode=MODE, as libpq and most tools write it,
/// turned into Npgsql's connection string. Timeouts are short so that a database that cannot be reached turns into
/// a 503 for the client, not a hanging request.
/// </summary>
public sealed record DatabaseUrl(string ConnectionString, string Shown)
{
    public const int DefaultPoolSize = 50;

    /// <summary>Throws <see cref="FormatException"/> with a message for the operator.</summary>
    public static DatabaseUrl Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new FormatException($"'{Redact(text)}' is not a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:5432/DB");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || uri.Host.Length == 0)
            throw new FormatException($"'{Redact(text)}' needs a host and a database name: postgres://USER:PASSWORD@HOST:5432/DB");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            Timeout = 5,
            CommandTimeout = 30,
            MaxPoolSize = DefaultPoolSize,
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,
            KeepAlive = 10,
            ApplicationName = "cloudsfor",
        };
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
            builder.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length == 2)
            builder.Password = Uri.UnescapeDataString(user[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
            switch (key)
            {
                case "pool_size" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= 1000:
                    builder.MaxPoolSize = size;
                    break;
                case "sslmode" when Enum.TryParse<SslMode>(value.Replace("-", ""), ignoreCase: true, out var mode):
                    builder.SslMode = mode;
                    break;
                default:
                    throw new FormatException($"unknown or invalid option '{key}={value}' (known: pool_size=1..1000, sslmode=disable|prefer|require|verify-ca|verify-full)");
            }
        }
        var shown = $"postgres://{(user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) + "@" : "")}{builder.Host}:{builder.Port}/{database}";
        return new DatabaseUrl(builder.ConnectionString, shown);
    }

    public static bool IsDatabaseUrl(string text) => text.StartsWith("postgres://", StringComparison.Ordinal) || text.StartsWith("postgresql://", StringComparison.Ordinal);

    /// <summary>The URL without its password, for messages.</summary>
    static string Redact(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
            ? text.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : text;
}
