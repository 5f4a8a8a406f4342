using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// The store as an attacker with a copy of the disk would see it (for tests that no secret rests in it), and what the API
/// does not show but the driver is given.
/// </summary>
public static class StoreFiles
{
    /// <summary>The store's files as they are on disk now (the database and its write-ahead log), read while the server runs.</summary>
    public static byte[] Bytes(string dataDir)
    {
        using var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(dataDir, "cloudsfor.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }
        return all.ToArray();
    }

    /// <summary>The public keys a VM was given (its API view does not show them, as DigitalOcean's does not): what the driver installs.</summary>
    public static string[] VmSshKeys(string dataDir, string vmId)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(dataDir, "cloudsfor.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT ssh_keys FROM vms WHERE id = $id";
        command.Parameters.AddWithValue("$id", vmId);
        return JsonSerializer.Deserialize<string[]>((string)command.ExecuteScalar()!)!;
    }
}
