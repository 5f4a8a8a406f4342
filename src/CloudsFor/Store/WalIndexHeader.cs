using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace CloudsFor.Store;

/// <summary>
/// The header of SQLite's wal-index, at the start of the -shm file beside the database (sqlite.org/walformat.html):
/// two identical 48-byte copies, in native byte order. Every commit, by any connection of any process, rewrites it
/// with the change counter one higher, the new last frame and a new checksum; the writer writes the second copy, then
/// the first. A reader that reads the first copy, then the second, and finds them equal has read a header no commit
/// was changing at that moment.
/// </summary>
sealed class WalIndexHeader
{
    public const int Bytes = 96;
    const int CopyBytes = 48;

    /// <summary>Page size and last valid frame of the header in those 96 bytes, or null when it cannot be trusted (being written, not yet initialised).</summary>
    public static (long PageSize, long Frames)? Parse(ReadOnlySpan<byte> bytes)
    {
        var first = bytes[..CopyBytes];
        if (!first.SequenceEqual(bytes.Slice(CopyBytes, CopyBytes)) || first[12] != 1 || !BitConverter.IsLittleEndian)
            return null;
        int pageField = BinaryPrimitives.ReadUInt16LittleEndian(first[14..]);
        var pageSize = pageField == 1 ? 65536 : pageField;
        return pageSize < 512 ? null : (pageSize, BinaryPrimitives.ReadUInt32LittleEndian(first[16..]));
    }

    // Mapped for as long as the engine lives (the process): the map is kept referenced with its view, and never closed.
    readonly MemoryMappedFile map;
    readonly MemoryMappedViewAccessor view;

    WalIndexHeader(MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        this.map = map;
        this.view = view;
    }

    /// <summary>The -shm file of that database mapped into memory, or null when it is missing or too short yet.</summary>
    public static WalIndexHeader? Map(string databasePath)
    {
        var shm = databasePath + "-shm";
        FileStream? file = null;
        try
        {
            file = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length < Bytes)
            {
                file.Dispose();
                return null;
            }
            // The map owns the file from here on.
            var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            return new WalIndexHeader(map, map.CreateViewAccessor(0, Bytes, MemoryMappedFileAccess.Read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            return null;
        }
    }

    /// <summary>The last commit's stamp as the header says now, read from memory (no lock, no system call), or null while it is being written.</summary>
    public CommitStamp? Read()
    {
        // Only the stamp's fields, of the first copy, then of the second: the reverse of the writer's order, so equal
        // fields mean no commit was writing them meanwhile (as SQLite's own readers check).
        var first = new CommitStamp(view.ReadInt64(8), view.ReadInt64(16), view.ReadInt64(40));
        Interlocked.MemoryBarrier();
        var second = new CommitStamp(view.ReadInt64(CopyBytes + 8), view.ReadInt64(CopyBytes + 16), view.ReadInt64(CopyBytes + 40));
        // Byte 12, in the first field, is isInit: 1 once the header holds a real state.
        return first == second && (first.Counter >> 32 & 0xff) == 1 && BitConverter.IsLittleEndian ? first : null;
    }
}
