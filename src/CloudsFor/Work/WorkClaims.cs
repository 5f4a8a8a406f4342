using System.Collections.Concurrent;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>How long a claim on a resource's actions lasts unrenewed, and how often claims are renewed and free work is looked for.</summary>
public sealed record WorkClaimSettings(TimeSpan Lease)
{
    public TimeSpan Renew => Lease / 3;
    public TimeSpan Scan => TimeSpan.FromSeconds(Math.Min(2, Lease.TotalSeconds / 3));
}

/// <summary>
/// Which server runs a resource's actions, when several share a store: the one holding its claim (work_claims), with
/// a lease it renews every Lease/3. A server that dies (kill -9) stops renewing; once its leases run out, the scan of
/// any other server finds the resources in progress that nobody holds and runs them (drivers are idempotent, so a
/// step the dead server had half done is done again safely). A server that finds it lost a claim (it stalled longer
/// than the lease) cancels that work at once, so two servers never run one resource's actions at the same time for
/// longer than a stall. Leases compare the servers' clocks: keep them synchronized (NTP).
/// </summary>
public sealed class WorkClaims(Db db, ActionQueue queue, WorkClaimSettings settings, TimeProvider time, ILogger<WorkClaims> log) : BackgroundService
{
    readonly ConcurrentDictionary<string, CancellationTokenSource> held = new();

    /// <summary>This process, as its claims name it.</summary>
    public string Server => ThisProcess.Id;

    // A SQLite store has one server: it holds every claim without writing it down (two writes an action saved).
    bool Alone => db.Engine is SqliteEngine;

    /// <summary>Before the first claim: on a store no other server uses, claims a previous version left are ours.</summary>
    public async Task Start()
    {
        if (Alone)
            await db.Write(WorkClaimsSql.ReleaseAll);
    }

    /// <summary>Claims the resource's actions for this server; null when another server holds them. The token ends if the claim is lost.</summary>
    public async Task<CancellationToken?> TryClaim(string resourceId, CancellationToken stopping)
    {
        if (Alone)
            return stopping;
        var now = time.GetUtcNow();
        if (!await db.Write((c, t) => WorkClaimsSql.TryClaim(c, t, resourceId, Server, Clock.Stored(now), Clock.Stored(now + settings.Lease))))
            return null;
        var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        held[resourceId] = lost;
        return lost.Token;
    }

    public async Task Release(string resourceId)
    {
        if (Alone)
            return;
        if (held.TryRemove(resourceId, out var claim))
            claim.Dispose();
        await db.Write((c, t) => WorkClaimsSql.Release(c, t, resourceId, Server));
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (Alone)
            return;
        var lastRenew = time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.Scan, time, stopping);
                var now = time.GetUtcNow();
                if (now - lastRenew >= settings.Renew)
                {
                    lastRenew = now;
                    await RenewHeld(now);
                }
                queue.Enqueue(await db.Read(c => WorkClaimsSql.Unclaimed(c, Clock.Stored(now))));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is unreachable: claims cannot be renewed; if the leases run out meanwhile, the work is cancelled below once it is back.
                log.LogWarning("renewing work claims failed: {Reason}", e.Message);
            }
        }
    }

    async Task RenewHeld(DateTimeOffset now)
    {
        if (held.IsEmpty)
            return;
        var still = (await db.Write((c, t) => WorkClaimsSql.Renew(c, t, Server, Clock.Stored(now + settings.Lease)))).ToHashSet();
        foreach (var (resourceId, claim) in held)
            if (!still.Contains(resourceId) && held.TryRemove(resourceId, out _))
            {
                log.LogWarning("the claim on resource {ResourceId} went to another server (this one stalled longer than the lease); its work here stops", resourceId);
                // Not disposed: the runner may still be registering on its token; it is dropped with it.
                claim.Cancel();
            }
    }
}
