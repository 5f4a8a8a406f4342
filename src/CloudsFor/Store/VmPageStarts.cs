using System.Collections.Concurrent;
using System.Data.Common;

namespace CloudsFor.Store;

/// <summary>
/// Where pages of an account's VMs start, remembered. A page found by its offset makes SQLite step over every VM
/// before it: the last page of 50,000 VMs cost milliseconds where the first costs microseconds. Once a page has been
/// read, its first VM is where it starts, and the VM after its last is where the next one starts; while the account's
/// generation (moved by the store when one of its VMs is created, deleted or restored) is the one they were seen at,
/// such a page is one step down the index. A page read for the first time, or after a change, pays the offset once.
/// Only the unfiltered list: who is in a filtered one changes with more than that (status, tags).
/// </summary>
public sealed class VmPageStarts
{
    const int MaxRemembered = 100_000;

    sealed record Start(long Generation, VmVersion Vm, bool Including);

    readonly ConcurrentDictionary<(string Account, int PerPage, int Page), Start> starts = new();

    public async Task<IReadOnlyList<VmVersion>> Versions(DbConnection c, VmFilter filter, int page, int perPage)
    {
        if (filter != new VmFilter(filter.AccountId))
            return await VmsSql.Versions(c, filter, (page - 1) * perPage, perPage);
        // Read before the page: a start remembered from a page read after a change is then never taken for older than it is.
        var generation = await VmsSql.PagesGeneration(c, filter.AccountId);
        var rows = starts.TryGetValue((filter.AccountId, perPage, page), out var start) && start.Generation == generation
            ? await VmsSql.VersionsFrom(c, filter.AccountId, start.Vm, start.Including, perPage)
            : await VmsSql.Versions(c, filter, (page - 1) * perPage, perPage);
        if (starts.Count >= MaxRemembered)
            starts.Clear();
        if (rows.Count > 0 && page > 1)
            starts[(filter.AccountId, perPage, page)] = new Start(generation, rows[0], Including: true);
        if (rows.Count == perPage)
            starts[(filter.AccountId, perPage, page + 1)] = new Start(generation, rows[^1], Including: false);
        return rows;
    }
}
