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

    public static readonly TheoryData<string> Operations = new(SimulatedSettings.Operations);

    /// <summary>Every name --sim-fail accepts fails the operation of that name (none is a name no operation has).</summary>
    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_name_fails_its_operation(string operation)
    {
        var failing = new SimulatedDriver(folder, new SimulatedSettings(0, 0, SimulatedSettings.ParseFailOperations(operation)));
        var spec = NewSpec();
        var ct = CancellationToken.None;
        var error = await Assert.ThrowsAsync<DriverException>(async () =>
        {
            await failing.EnsureCreated(spec, ct);
            await failing.EnsureStopped(spec.Id, graceful: false, ct);
            await failing.EnsureRunning(spec.Id, ct);
            await failing.EnsureStopped(spec.Id, graceful: true, ct);
            await failing.EnsureRunning(spec.Id, ct);
            await failing.Restart(spec.Id, hard: false, ct);
            await failing.Restart(spec.Id, hard: true, ct);
            await failing.Resize(spec, ct);
            await failing.Rebuild(spec, ct);
            await failing.Snapshot(spec.Id, NewSpec().Id, ct);
            var volume = new VolumeSpec(NewSpec().Id, 1, "none", "");
            await failing.EnsureVolumeCreated(volume, ct);
            await failing.EnsureVolumeAttached(volume.Id, spec.Id, ct);
            await failing.ResizeVolume(volume.Id, 2, spec.Id, ct);
            await failing.EnsureVolumeDetached(volume.Id, spec.Id, ct);
            await failing.EnsureVolumeDestroyed(volume.Id, ct);
            await failing.EnsureDestroyed(spec.Id, ct);
        });
        Assert.Equal($"Simulated failure of {operation} (fault injection is configured).", error.Message);
    }

    [Fact]
    public void A_misspelled_operation_name_stops_the_start()
    {
        var error = Assert.Throws<FormatException>(() => ServeOptions.Parse(["--sim-fail", "create,snapshto"], _ => null));
        Assert.Equal("--sim-fail: 'snapshto' is not an operation (create, power_on, power_off, shutdown, reboot, power_cycle, resize, rebuild, snapshot, destroy, volume_create, volume_attach, volume_detach, volume_resize, volume_destroy)", error.Message);
        Assert.Equal(new HashSet<string> { "create", "snapshot" }, ServeOptions.Parse(["--sim-fail", " create, snapshot "], _ => null).Simulated.FailOperations);
    }
}
