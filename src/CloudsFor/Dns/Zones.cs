using System.Collections.Concurrent;
using CloudsFor.Store;

namespace CloudsFor.Dns;

/// <summary>
/// Every managed zone, as immutable snapshots read from the store. Queries read without locks; loads
/// take turns, so a slow load can never put an older snapshot over a newer one. The API refreshes a
/// zone right after each change it commits, and a poll every second catches what changed elsewhere
/// (a user deleted with their domains, another server on a shared store).
/// </summary>
public sealed class Zones(Db db, DnsSettings settings, ILogger<Zones> log)
{
    readonly ConcurrentDictionary<string, Zone> zones = new(StringComparer.Ordinal);
    readonly SemaphoreSlim turn = new(1, 1);

    public int Count => zones.Count;

    /// <summary>The closest managed zone that holds <paramref name="name"/> (lower case, no trailing dot), or null.</summary>
    public Zone? Enclosing(string name)
    {
        for (var suffix = name; suffix.Contains('.'); suffix = suffix[(suffix.IndexOf('.') + 1)..])
            if (zones.TryGetValue(suffix, out var zone))
                return zone;
        return null;
    }

    /// <summary>Reloads one zone after a change through the API, so the next query sees it.</summary>
    public async Task Refresh(string name)
    {
        if (settings.Listen is null)
            return;
        await turn.WaitAsync();
        try
        {
            await Load(name);
        }
        catch (Exception e)
        {
            // The change is committed; the next poll loads the zone.
            log.LogWarning(e, "reloading zone {Zone} failed", name);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Brings every zone up to the store: new and changed ones loaded, deleted ones dropped.</summary>
    public async Task Sync()
    {
        await turn.WaitAsync();
        try
        {
            var serials = (await db.Read(DomainsSql.Serials)).ToDictionary(s => s.Name, s => s.Serial, StringComparer.Ordinal);
            foreach (var gone in zones.Keys.Where(name => !serials.ContainsKey(name)))
                zones.TryRemove(gone, out _);
            foreach (var (name, serial) in serials)
                if (!zones.TryGetValue(name, out var zone) || zone.Serial != serial)
                    await Load(name);
        }
        finally
        {
            turn.Release();
        }
    }

    async Task Load(string name)
    {
        var (domain, records) = await db.Read(async c => (await DomainsSql.FindAny(c, name), await DomainRecordsSql.OfZone(c, name)));
        if (domain is null)
            zones.TryRemove(name, out _);
        else
            zones[name] = Zone.Build(domain, records);
    }
}
