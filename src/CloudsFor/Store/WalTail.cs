namespace CloudsFor.Store;

/// <summary>
/// When the sync of a commit fails, SQLite has already written the commit's frames to the WAL file, answers an error and
/// rolls back in memory: the wal-index (the -shm file) still ends at the last good commit. But the frames stay in the
/// file, with valid checksums and a commit mark, and after a crash before the next commit overwrites them the WAL
/// recovery finds them and brings the write back. Its client was told it failed, retries, and the work is done twice
/// (Idempotency-Key answers are saved after the work, in a commit of their own). Cutting the file back to the last good
/// frame, before the next write, keeps "failed" meaning "not done". A truncate needs no sync to be seen by the next
/// open of the file after a crash of the process; after a power cut nothing unsynced was promised anyway.
/// Only the writer calls it, between batches and holding the write lock, so no commit runs meanwhile.
/// </summary>
static class WalTail
{
    const int WalHeader = 32;
    const int FrameHeader = 24;

    public static void Cut(string databasePath)
    {
        var wal = databasePath + "-wal";
        if (!File.Exists(wal) || ReadIndexHeader(databasePath + "-shm") is not var (pageSize, frames))
            return;
        var good = frames == 0 ? 0 : WalHeader + frames * (FrameHeader + pageSize);
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        // With no frame committed the header may carry the salts of a restart that was never committed: keep it anyway,
        // a header alone recovers nothing.
        if (file.Length > Math.Max(good, WalHeader))
            file.SetLength(Math.Max(good, WalHeader));
    }

    /// <summary>Page size and last valid frame from the wal-index header, read from the file, or null when it cannot be trusted.</summary>
    static (long PageSize, long Frames)? ReadIndexHeader(string shm)
    {
        if (!File.Exists(shm))
            return null;
        var bytes = new byte[WalIndexHeader.Bytes];
        using (var file = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            if (file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
                return null;
        return WalIndexHeader.Parse(bytes);
    }
}
