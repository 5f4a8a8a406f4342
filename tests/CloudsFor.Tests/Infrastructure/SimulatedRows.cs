using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>What the simulated driver keeps in a server's store (simulated_objects), read and changed behind its back.</summary>
public static class SimulatedRows
{
    public static bool Has(string dataDir, string kind, string id) =>
        Run(dataDir, "SELECT COUNT(*) FROM simulated_objects WHERE kind = $kind AND id = $id", kind, id) is 1L;

    public static HashSet<string> Ids(string dataDir, string kind)
    {
        using var c = Open(dataDir);
        using var command = c.CreateCommand();
        command.CommandText = "SELECT id FROM simulated_objects WHERE kind = $kind";
        command.Parameters.AddWithValue("$kind", kind);
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>The VM is gone from the hypervisor (state and console), as if its machine had been lost.</summary>
    public static void RemoveVm(string dataDir, string id)
    {
        Assert.Equal(1L, Run(dataDir, "SELECT COUNT(*) FROM simulated_objects WHERE kind = $kind AND id = $id", "vm", id));
        Run(dataDir, "DELETE FROM simulated_objects WHERE kind = $kind AND id = $id; DELETE FROM simulated_console WHERE vm_id = $id", "vm", id);
    }

    static object? Run(string dataDir, string sql, string kind, string id)
    {
        using var c = Open(dataDir);
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar();
    }

    static SqliteConnection Open(string dataDir)
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(dataDir, "cloudsfor.db")};Pooling=False;Default Timeout=30");
        c.Open();
        return c;
    }
}
