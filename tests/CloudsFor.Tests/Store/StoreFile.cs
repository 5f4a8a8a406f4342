using CloudsFor.Store;

namespace CloudsFor.Tests.Store;

/// <summary>A store in a temporary file with the schema applied, removed afterwards.</summary>
public sealed class StoreFile : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "cloudsfor-store-" + Guid.NewGuid().ToString("N"));

    public StoreFile()
    {
        Directory.CreateDirectory(folder);
        Db = new Db(Path.Combine(folder, "cloudsfor.db"));
        Migrations.Apply(Db);
    }

    public Db Db { get; }

    public void Dispose()
    {
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
