using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// The store as an attacker with a copy of it would see it (for tests that no secret rests in it), and what the API
/// does not show but the driver is given.
/// </summary>
public static class StoreFiles
{
    /// <summary>
    /// Everything the store holds now, read while the server runs: SQLite's files on disk (the database and its
    /// write-ahead log), or a dump of the server's PostgreSQL database, whose text holds every value as stored.
    /// </summary>
    public static byte[] Bytes(ServerProcess server) => server.Database is { } url ? Dump(url) : Files(server.DataDir);

    /// <summary>The public keys a VM was given (its API view does not show them, as DigitalOcean's does not): what the driver installs.</summary>
    public static string[] VmSshKeys(ServerProcess server, string vmId) =>
        JsonSerializer.Deserialize<string[]>(StoreSql.Column<string>(server, "SELECT ssh_keys FROM vms WHERE id = @id", ("id", vmId)).Single())!;

    static byte[] Files(string dataDir)
    {
        using var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(dataDir, "cloudsfor.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }
        return all.ToArray();
    }

    static byte[] Dump(string url)
    {
        var start = new ProcessStartInfo("pg_dump") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--data-only", "--dbname", url })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var dump = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pg_dump {url} failed: {stderr.Result}");
        return Encoding.UTF8.GetBytes(dump);
    }
}
