using CloudsFor.Model;
using CloudsFor.Start;
using CloudsFor.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Admin;

/// <summary>
/// `cloudsfor admin reset-password`: sets a user's password (admin's by default) straight in the store of a data
/// folder (or the servers' PostgreSQL database), for the operator who lost it. Safe while a server runs on the same folder: SQLite orders this write
/// with the server's own, and the server checks a remembered credential against the store again after 5 s at
/// most, so the old password stops working then. The password never comes from the command line, which every
/// user of the machine can read (ps).
/// </summary>
public static class ResetPassword
{
    public const string Usage = """
        usage: cloudsfor admin reset-password [options]
        Sets a user's password in the store of a data folder, whether a server runs on it or not (the running server
        stops taking the old password within 5 s). The new password is read from standard input with --password-stdin,
        else from CLOUDSFOR_NEW_PASSWORD; without either, a generated one is printed once.
          --data DIR                       the server's data folder (CLOUDSFOR_DATA, default ./data)
          --database URL                   the servers' PostgreSQL store instead (CLOUDSFOR_DATABASE)
          --user NAME                      whose password to set (default admin)
          --password-stdin                 read the new password from the first line of standard input
        """;

    public static async Task<int> Run(string[] args, Func<string, string?> env, TextReader stdin, TextWriter stdout)
    {
        if (args is not ["reset-password", ..])
            throw new StartFailure($"unknown admin command {(args is [var first, ..] ? first : "(none)")} (cloudsfor admin --help lists them)");
        var dataDir = env("CLOUDSFOR_DATA") is { Length: > 0 } fromEnv ? fromEnv : "./data";
        var database = env("CLOUDSFOR_DATABASE") is { Length: > 0 } url ? url : null;
        var username = "admin";
        var fromStdin = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: dataDir = args[++i]; break;
                case "--database" when i + 1 < args.Length: database = args[++i]; break;
                case "--user" when i + 1 < args.Length: username = args[++i]; break;
                case "--password-stdin": fromStdin = true; break;
                default: throw new StartFailure($"unknown option or missing value: {args[i]} (cloudsfor admin --help lists the options)");
            }
        }

        var path = Path.Combine(dataDir, "cloudsfor.db");
        // Opening a missing store would create an empty one, and the password would go nowhere.
        if (database is null && !File.Exists(path))
            throw new StartFailure($"no store at {path}: give the server's data folder with --data DIR");
        var given = fromStdin ? stdin.ReadLine() : env("CLOUDSFOR_NEW_PASSWORD");
        if (fromStdin && string.IsNullOrEmpty(given))
            throw new StartFailure("--password-stdin: standard input held no password");
        var password = string.IsNullOrEmpty(given) ? Secrets.NewPassword() : given;
        if (password.Length < 8)
            throw new StartFailure("the new password must be at least 8 characters, as for POST /users");

        Db db;
        try
        {
            db = database is null ? new Db(path) : new Db(new PostgresEngine(DatabaseUrl.Parse(database)));
        }
        catch (FormatException e)
        {
            throw new StartFailure("--database: " + e.Message);
        }
        path = db.Describe;
        var latest = database is null ? Migrations.Latest : PostgresMigrations.Latest;
        try
        {
            var version = await db.Read(async c => database is null
                ? await c.ExecuteScalarAsync<long>("PRAGMA user_version")
                : await c.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL")
                    ? await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                    : 0);
            if (version > latest)
                throw new StartFailure($"{path}: {new NewerStoreException(version, latest).Message}: run that version's reset-password");
            if (version == 0)
                throw new StartFailure($"{path} is not a CloudsFor store: give the server's data folder with --data DIR or its database with --database URL");
            var hash = Secrets.HashPassword(password);
            if (await db.Write((c, t) => UsersSql.SetPasswordHash(c, t, username, hash)) == 0)
                throw new StartFailure($"the store {path} has no user {username} (choose one with --user NAME)");
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException)
        {
            throw new StartFailure($"cannot open the store {path}: {StartFailure.Reason(e)} (give the server's data folder with --data DIR or its database with --database URL)");
        }
        stdout.WriteLine(string.IsNullOrEmpty(given)
            ? $"cloudsfor: the password of {username} is now {password} (shown only now)"
            : $"cloudsfor: the password of {username} is changed");
        return 0;
    }
}
