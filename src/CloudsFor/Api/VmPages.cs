using System.Data.Common;
using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>
/// Pages of VMs as last read from the store (the total and the renderings), kept with the store's commit stamp read
/// before that read (<see cref="StoreEngine.LastCommit"/>): while the stamp is the same, nothing was committed since,
/// so the page is what the store would answer now. Any commit, by anyone, sends the next request to the store again.
/// On PostgreSQL there is no stamp and every page is read. A fixed table of slots chosen by the page's key (account
/// and query string) bounds the memory: a kept page holds at most 200 renderings, mostly the ones
/// <see cref="VmDocuments"/> keeps too.
/// </summary>
public sealed class VmPages
{
    const int Slots = 512;

    sealed record Page(string Key, CommitStamp Stamp, long Total, IReadOnlyList<VmDocuments.Rendered> Vms);

    readonly Page?[] slots = new Page?[Slots];

    /// <summary>The page known by that key, from memory while nothing was committed since it was read, else by <paramref name="read"/>.</summary>
    public async Task<(long Total, IReadOnlyList<VmDocuments.Rendered> Vms)> Get(
        Db db, string key, Func<DbConnection, Task<(long, IReadOnlyList<VmDocuments.Rendered>)>> read)
    {
        var slot = (uint)key.GetHashCode() % Slots;
        var stamp = db.Engine.LastCommit();
        if (stamp is { } now && Volatile.Read(ref slots[slot]) is { } kept && kept.Stamp == now && kept.Key == key)
            return (kept.Total, kept.Vms);
        var (total, vms) = await db.Read(read);
        if (stamp is { } before)
            Volatile.Write(ref slots[slot], new Page(key, before, total, vms));
        return (total, vms);
    }
}
