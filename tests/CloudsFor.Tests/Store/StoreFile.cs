using CloudsFor.Store;

namespace CloudsFor.Tests.Store;

/// <summary>A store in a temporary file with the schema applied, removed afterwards.</summary>
public sealed class StoreFile : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "cloudsfor-store-" + Guid.NewGuid().ToString("N"));

    /// <param name="upToStepBefore">
    /// For a test of a migration: the schema only up to the step before the one containing this text, as an older
    /// CloudsFor left it (found by its text, so steps added later do not move it).
    /// </param>
    public StoreFile(string? upToStepBefore = null)
    {
        Directory.CreateDirectory(folder);
        Db = new Db(Path.Combine(folder, "cloudsfor.db"));
        if (upToStepBefore is null)
        {
            Migrations.Apply(Db);
            return;
        }
        var stop = Array.FindIndex(Migrations.Steps, s => s.Contains(upToStepBefore, StringComparison.Ordinal));
        Assert.True(stop > 0, $"no migration step contains '{upToStepBefore}'");
        using var c = Db.Open();
        for (var step = 0; step < stop; step++)
            Dapper.SqlMapper.Execute(c, Migrations.Steps[step]);
        Dapper.SqlMapper.Execute(c, $"PRAGMA user_version = {stop}");
    }

    public Db Db { get; }

    public void Dispose()
    {
        Db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The store's own connections may still hold the file; the temporary folder is cleaned later.
        }
    }
}
