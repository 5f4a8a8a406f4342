using System.Data.Common;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Api;

/// <summary>
/// VMs rendered as JSON, with their ETag, kept for as long as they are current. Building, serializing and hashing
/// a VM's representation cost more than everything else in GET of a VM or a page of VMs. A VM's version changes with
/// everything its representation shows (triggers in the store, see Store.Migrations), so a request reads ids and
/// versions, and only a VM whose version moved on since it was last shown is read in full and rendered again.
/// The store is always asked, so a change by anyone (the worker, another server on the same store, a process writing to
/// the file) shows at once: nothing has to tell this cache about changes. For one VM, asking may be reading the store's
/// commit stamp (<see cref="StoreEngine.LastCommit"/>): a rendering found current by a query made after stamp S was
/// read is still current while the stamp is S, since nothing at all was committed meanwhile. On SQLite that read is
/// a few loads from shared memory where the query was the largest cost of GET of a VM; PostgreSQL has no stamp, and is
/// queried every time. The catalog, the other input of a view, is fixed while the server runs.
/// A fixed table of sets of four slots, the set chosen by the VM's id: memory stays bounded (a rendering is about
/// 1.5 KiB, and its body as much again), and a VM loses its slot only to a fifth VM of its set. With one slot per id,
/// a quarter of 10,000 VMs shared a slot with another, and reading those two in turn rendered both every time.
/// </summary>
public sealed class VmDocuments(Catalog catalog)
{
    const int Ways = 4;
    const int Sets = 8_192;

    public sealed record Rendered(string Id, long Version, RawJson Json, string ETag)
    {
        /// <summary>The account that was shown this rendering, and the store's commit stamp read before the query that did.</summary>
        public (string AccountId, CommitStamp Stamp)? Checked { get; init; }

        byte[]? body;

        /// <summary>The body of GET /vms/{id}, wrapped once per rendering: a copy per request was most of what it allocated.</summary>
        public byte[] Body => body ??= Reply.Envelope("vm", Json);
    }

    readonly Rendered?[] slots = new Rendered?[Sets * Ways];

    /// <summary>One of the account's VMs, rendered, or null when it has none by that id.</summary>
    public async Task<Rendered?> Find(Db db, string accountId, string id)
    {
        var stamp = db.Engine.LastCommit();
        if (stamp is { } now && Kept(id) is { Checked: var (shownTo, checkedAt) } kept && shownTo == accountId && checkedAt == now)
            return kept;
        var found = await db.Read(c => Find(c, accountId, id));
        if (found is not null && stamp is { } before)
            Keep(found with { Checked = (accountId, before) });
        return found;
    }

    async Task<Rendered?> Find(DbConnection c, string accountId, string id) =>
        await VmsSql.VersionOf(c, accountId, id) is { } version
            ? Kept(id, version) ?? await Read(c, accountId, id)
            : null;

    /// <summary>A page of the account's VMs, as read by <see cref="VmsSql.Versions"/>, rendered.</summary>
    public async Task<IReadOnlyList<Rendered>> Of(DbConnection c, string accountId, IReadOnlyList<VmVersion> vms)
    {
        var page = new List<Rendered>(vms.Count);
        foreach (var vm in vms)
            // A VM deleted between the two reads is left out, as it would be a moment later.
            if ((Kept(vm.Id, vm.Version) ?? await Read(c, accountId, vm.Id)) is { } rendered)
                page.Add(rendered);
        return page;
    }

    async Task<Rendered?> Read(DbConnection c, string accountId, string id) =>
        await VmsSql.Find(c, accountId, id) is { } vm ? Kept(vm.Id, vm.Version) ?? Render(vm) : null;

    /// <summary>A VM as read with its relations (<see cref="VmsSql.Find"/>), rendered and kept.</summary>
    Rendered Render(VmRow vm)
    {
        var json = new RawJson(ApiJson.Bytes(VmView.Of(vm, ImagesSql.FromJson(vm.ImageJson), catalog)));
        var rendered = new Rendered(vm.Id, vm.Version, json, Reply.ETagOf("vm", json));
        Keep(rendered);
        return rendered;
    }

    Rendered? Kept(string id, long version) => Kept(id) is { } kept && kept.Version == version ? kept : null;

    Rendered? Kept(string id)
    {
        var set = SetOf(id);
        for (var way = 0; way < Ways; way++)
            if (Volatile.Read(ref slots[set + way]) is { } kept && kept.Id == id)
                return kept;
        return null;
    }

    /// <summary>
    /// Puts a rendering in its VM's slot, else in a free one of the set, else in one picked at random. Two requests
    /// may keep the same VM in two slots at once; that is harmless, since whatever is found is checked (its version,
    /// or its account and stamp) before it is served, and a stale copy is replaced at its next miss.
    /// </summary>
    void Keep(Rendered rendered)
    {
        var set = SetOf(rendered.Id);
        var free = -1;
        for (var way = 0; way < Ways; way++)
        {
            var kept = Volatile.Read(ref slots[set + way]);
            if (kept?.Id == rendered.Id)
            {
                Volatile.Write(ref slots[set + way], rendered);
                return;
            }
            if (kept is null && free < 0)
                free = way;
        }
        Volatile.Write(ref slots[set + (free >= 0 ? free : Random.Shared.Next(Ways))], rendered);
    }

    static int SetOf(string id) => (int)((uint)id.GetHashCode() % Sets) * Ways;
}
