namespace CloudsFor.Tests.Infrastructure;

/// <summary>The store as an attacker with a copy of the disk would see it: for tests that no secret rests in it.</summary>
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
}
