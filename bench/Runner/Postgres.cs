using System.Diagnostics;
using System.Globalization;

namespace CloudsFor.Bench;

/// <summary>
/// The benchmark's own PostgreSQL cluster (Debian's package), in a temp folder on 127.0.0.1 and a free port, stopped and
/// removed at the end. Durable as PostgreSQL ships: fsync on and synchronous_commit on, so a POST's answer means its
/// rows are on disk, as with SQLite's synchronous=FULL. PostgreSQL refuses to run as root: as root its binaries run
/// as the postgres user, who then owns the folder.
/// </summary>
public sealed class Postgres : IAsyncDisposable
{
    readonly string bin;
    readonly string dir;
    readonly int port;

    Postgres(string bin, string dir, int port) => (this.bin, this.dir, this.port) = (bin, dir, port);

    public string Version { get; private set; } = "?";

    public static async Task<Postgres> Start(int port)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("no PostgreSQL under /usr/lib/postgresql (bench/run.sh installs Debian's postgresql package)");
        // Not under the runner's own temp folder: that one is private to root, and the postgres user must reach this one.
        var dir = Directory.CreateTempSubdirectory("cloudsfor-bench-pg-").FullName;
        if (Root)
            await Exec("chown", ["postgres:postgres", dir]);
        var pg = new Postgres(bin, dir, port);
        // initdb's own syncing is skipped (a throwaway cluster); the server's fsync stays on.
        await pg.AsPostgres(Path.Combine(bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
        // Two servers keep a pool of 50 connections each (DatabaseUrl.DefaultPoolSize), plus their listeners: above the default 100.
        await pg.AsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "postgres.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {dir} -c fsync=on -c synchronous_commit=on -c max_connections=300", "start"]);
        pg.Version = (await pg.Sql("postgres", "SHOW server_version")).Trim();
        return pg;
    }

    /// <summary>A new empty database; returns its URL for --database.</summary>
    public async Task<string> CreateDatabase(string name)
    {
        // CREATE DATABASE cannot run inside a transaction block: a psql -c of its own.
        await Sql("postgres", $"CREATE DATABASE {name}");
        return Url(name);
    }

    public string Url(string database) => $"postgres://postgres@127.0.0.1:{port}/{database}";

    public async Task<double> SizeMiB(string database) =>
        long.Parse((await Sql("postgres", $"SELECT pg_database_size('{database}')")).Trim(), CultureInfo.InvariantCulture) / 1048576.0;

    Task<string> Sql(string database, string sql) =>
        Exec("psql", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-tAXc", sql]);

    Task<string> AsPostgres(string file, IEnumerable<string> args) =>
        Root ? Exec("runuser", ["-u", "postgres", "--", file, .. args]) : Exec(file, args);

    static bool Root => Environment.UserName == "root";

    static async Task<string> Exec(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed ({p.ExitCode}): {await stderr}{await stdout}");
        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-m", "fast", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
