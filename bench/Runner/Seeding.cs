using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudsFor.Compute;
using CloudsFor.Compute.Simulated;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Bench;

public sealed record Account(string Username, string Password)
{
    public string Auth => Api.Basic(Username, Password);
}

/// <summary>
/// Filling the store: through the API (POST /vms with names of 10 by default, as a user would, timed), or, for the
/// large stores of the scaling runs, directly through the server's own store code before it starts.
/// </summary>
public static class Seeding
{
    public const string Size = "s-1vcpu-512mb";
    public const string Image = "tiny";

    /// <summary>The default catalog with regions large enough for 100,000 VMs (a /9 of addresses and room for every size).</summary>
    public static void WriteCatalog(string path)
    {
        var catalog = JsonNode.Parse(Catalog.DefaultText())!;
        var ranges = new[] { "10.0.0.0/9", "10.128.0.0/9" };
        var regions = catalog["regions"]!.AsArray();
        for (var i = 0; i < regions.Count; i++)
        {
            regions[i]!["ip_range"] = ranges[i % ranges.Length];
            regions[i]!["capacity"] = new JsonObject { ["vcpus"] = 100_000_000, ["memory"] = 100_000_000_000L, ["disk"] = 100_000_000_000L };
        }
        File.WriteAllText(path, catalog.ToJsonString());
    }

    public static async Task CreateUser(Api api, string adminAuth, Account account) =>
        await api.Expect(201, HttpMethod.Post, "/api/v1/users", adminAuth,
            new { username = account.Username, password = account.Password, email = account.Username + "@bench.test", vm_limit = 1_000_000 });

    /// <summary>POSTs <paramref name="count"/> VMs in requests of <paramref name="size"/> names from several clients; returns when all are accepted.</summary>
    public static async Task ThroughApi(Api api, Account account, int count, int clients, int size)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) * size < count)
            {
                var names = Enumerable.Range(batch * size, Math.Min(size, count - batch * size)).Select(i => $"seed-{i}").ToArray();
                await api.Expect(202, HttpMethod.Post, "/api/v1/vms", account.Auth,
                    names.Length == 1 ? new { name = names[0], size = Size, image = Image } : new { names, size = Size, image = Image });
            }
        }));
    }

    /// <summary>Waits until no VM of the account is still new (every create action ran).</summary>
    public static async Task UntilActive(Api api, Account account, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = await api.Expect(200, HttpMethod.Get, "/api/v1/vms?status=new&per_page=1", account.Auth);
            if (page.GetProperty("meta").GetProperty("total").GetInt64() == 0)
                return;
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"VMs of {account.Username} still new after {deadline}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Writes users, active VMs with their completed create actions, and the simulated driver's VM rows
    /// straight into a store the server has not opened yet: the same rows the API and worker would write. The store
    /// code is the same on both engines: <paramref name="engine"/> is the SQLite file in the data folder or the
    /// PostgreSQL database the server will be given.
    /// </summary>
    public static async Task Direct(string dataDir, StoreEngine engine, string catalogPath, string adminPassword, IReadOnlyList<Account> accounts, int perAccount)
    {
        var catalog = Catalog.LoadOrCreate(catalogPath);
        using var db = new Db(engine);
        await StoreSetup.Prepare(db, catalog, TimeProvider.System, name => name == "CLOUDSFOR_ADMIN_PASSWORD" ? adminPassword : null, _ => { });
        var driver = new SimulatedDriver(db, new SimulatedSettings(0, 0));
        var ids = new Ids();
        var size = catalog.FindSize(Size)!;
        var region = catalog.DefaultRegion;
        var range = IpRange.Parse(region.IpRange);
        var imageId = Ids.Derived("image", Image);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var ipHost = 2L;
        var serial = 0;
        foreach (var account in accounts)
        {
            var user = new UserRow
            {
                Id = ids.New(), Username = account.Username, Email = account.Username + "@bench.test",
                PasswordHash = Secrets.HashPassword(account.Password), VmLimit = 1_000_000, CreatedAt = Clock.Stored(start),
            };
            await db.Write((c, t) => UsersSql.Insert(c, t, user));
            for (var done = 0; done < perAccount; done += 5000)
            {
                var vms = Enumerable.Range(done, Math.Min(5000, perAccount - done)).Select(i => new VmRow
                {
                    Id = ids.New(), AccountId = user.Id, Name = $"seed-{i}", Status = VmStatus.Active, SizeSlug = size.Slug, Memory = size.Memory,
                    Vcpus = size.Vcpus, Disk = size.Disk, RegionSlug = region.Slug, ImageId = imageId, IpHost = ipHost++,
                    CreatedAt = Clock.Stored(start.AddTicks(10 * serial++)),
                }).ToList();
                await db.Write(async (c, t) =>
                {
                    foreach (var vm in vms)
                    {
                        await VmsSql.Insert(c, t, vm);
                        await ActionsSql.Insert(c, t, new ActionRow
                        {
                            Id = ids.New(), AccountId = vm.AccountId, ResourceId = vm.Id, ResourceType = "vm", Type = VmActionType.Create,
                            Status = ActionStatus.Completed, Params = "{}", RegionSlug = vm.RegionSlug, Attempts = 1,
                            StartedAt = vm.CreatedAt, CompletedAt = vm.CreatedAt,
                        });
                    }
                });
                await Parallel.ForEachAsync(vms, async (vm, ct) => await driver.EnsureCreated(
                    new VmSpec(vm.Id, vm.Name, vm.Memory, vm.Vcpus, vm.Disk, vm.ImageId, Image, vm.RegionSlug, range.Address(vm.IpHost),
                        range.PrefixLength, [], ""), ct));
            }
        }
    }
}
