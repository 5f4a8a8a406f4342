using CloudsFor.Compute;
using CloudsFor.Compute.Simulated;

namespace CloudsFor.Tests.Compute;

public sealed class SimulatedDriverTests : DriverContract, IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "cloudsfor-sim-" + Guid.NewGuid().ToString("N"));

    protected override IComputeDriver Driver { get; }

    public SimulatedDriverTests() => Driver = new SimulatedDriver(folder, new SimulatedSettings(0, 0));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_injected_failure_names_the_operation()
    {
        var failing = new SimulatedDriver(folder, new SimulatedSettings(0, 0, new HashSet<string> { "create" }));
        var error = await Assert.ThrowsAsync<DriverException>(() => failing.EnsureCreated(NewSpec(), CancellationToken.None));
        Assert.Contains("create", error.Message);
    }
}
