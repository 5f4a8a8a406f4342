using CloudsFor.Model;
using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Tests.Store;

/// <summary>
/// The running sums the triggers keep in vm_usage always equal what summing the VMs gives: per region
/// every row, per account the rows not deleted, whatever happens to the VMs.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class VmUsageTests : IDisposable
{
    readonly StoreFile store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public async Task The_kept_sums_match_the_vms_after_creates_resizes_deletes_restores_and_removals()
    {
        var random = new Random(7);
        var vms = new List<VmRow>();
        for (var step = 0; step < 400; step++)
        {
            await store.Db.Write(async (c, t) =>
            {
                var pick = vms.Count == 0 ? null : vms[random.Next(vms.Count)];
                switch (pick is null ? 0 : random.Next(5))
                {
                    case 0:
                        var vm = new VmRow
                        {
                            Id = Guid.NewGuid().ToString("N"), AccountId = $"account-{random.Next(3)}", Name = "vm", Status = VmStatus.Active,
                            SizeSlug = "s", Memory = 512 * random.Next(1, 5), Vcpus = random.Next(1, 4), Disk = 10 * random.Next(1, 5),
                            RegionSlug = random.Next(2) == 0 ? "fra1" : "nyc1", ImageId = "image", IpHost = step + 2, CreatedAt = Clock.Stored(DateTimeOffset.UtcNow),
                        };
                        await VmsSql.Insert(c, t, vm);
                        vms.Add(vm);
                        break;
                    case 1:
                        pick!.Vcpus = random.Next(1, 8);
                        pick.Memory = 512 * random.Next(1, 8);
                        pick.Disk += 10;
                        await VmsSql.Update(c, t, pick);
                        break;
                    case 2:
                        await VmsSql.MarkDeleted(c, t, pick!.Id, Clock.Stored(DateTimeOffset.UtcNow));
                        break;
                    case 3:
                        await VmsSql.Restore(c, t, pick!.Id);
                        break;
                    default:
                        await VmsSql.Remove(c, t, pick!.Id);
                        vms.Remove(pick);
                        break;
                }
            });
        }

        var (kept, summed) = await store.Db.Read(async c => (
            (await c.QueryAsync<(string, long, long, long, long)>("SELECT scope, vms, vcpus, memory, disk FROM vm_usage WHERE vms <> 0 ORDER BY scope")).ToList(),
            (await c.QueryAsync<(string, long, long, long, long)>("""
                SELECT 'region:' || region_slug AS scope, COUNT(*), SUM(vcpus), SUM(memory), SUM(disk) FROM vms GROUP BY region_slug
                UNION ALL
                SELECT 'account:' || account_id, COUNT(*), SUM(vcpus), SUM(memory), SUM(disk) FROM vms WHERE deleted_at IS NULL GROUP BY account_id
                ORDER BY scope
                """)).ToList()));
        Assert.NotEmpty(summed);
        Assert.Equal(summed, kept);
    }
}
