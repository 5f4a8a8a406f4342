using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>A server whose catalog (--catalog) gives fra1 room for exactly two of the smallest VMs.</summary>
public sealed class SmallRegionServer : IAsyncLifetime
{
    const string Catalog = """
        {
          "regions": [
            { "slug": "fra1", "name": "Frankfurt 1", "ip_range": "10.16.0.0/16", "capacity": { "vcpus": 2, "memory": 1024, "disk": 20 } },
            { "slug": "nyc1", "name": "New York 1", "ip_range": "10.17.0.0/16", "capacity": { "vcpus": 64, "memory": 65536, "disk": 2000 } }
          ],
          "sizes": [
            { "slug": "s-1vcpu-512mb", "memory": 512, "vcpus": 1, "disk": 10, "price_monthly": 4, "description": "Basic" }
          ],
          "images": [
            { "slug": "tiny", "name": "Tiny Linux", "distribution": "CloudsFor", "min_disk_size": 1, "size_gigabytes": 0.05, "description": "Busybox" }
          ]
        }
        """;

    string catalogFile = "";

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        catalogFile = Path.Combine(Path.GetTempPath(), $"cloudsfor-catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(catalogFile, Catalog);
        Server = await ServerProcess.StartAsync("--catalog", catalogFile, "--sim-delay-ms", "0-50");
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        File.Delete(catalogFile);
        return Task.CompletedTask;
    }
}

/// <summary>A region's capacity is a hard limit: the create that does not fit is a 422 on "size" that says so.</summary>
public sealed class RegionCapacityTests(SmallRegionServer small) : IClassFixture<SmallRegionServer>
{
    [Fact]
    public async Task A_create_past_the_regions_capacity_is_422_on_size_and_other_regions_still_take_vms()
    {
        var user = await TestAccounts.Create(small.Server);
        var regions = (await user.Api.Get("/regions/fra1")).Expect(200)["region"];
        Assert.Equal(20, regions.GetProperty("capacity").GetProperty("disk").GetInt32());

        await Vms.Create(user.Api, region: "fra1");
        await Vms.Create(user.Api, region: "fra1");
        var full = await user.Api.Post("/vms", new { name = "no-room", size = Vms.SmallSize, image = Vms.TinyImage, region = "fra1" });
        full.ExpectError(422, "unprocessable_entity");
        Assert.Contains("size", full.ErrorFields());
        Assert.Contains("capacity", full.Message, StringComparison.OrdinalIgnoreCase);

        await Vms.CreateActive(user.Api, region: "nyc1");
        Assert.Equal(3, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }
}
