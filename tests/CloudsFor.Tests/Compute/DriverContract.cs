using CloudsFor.Compute;

namespace CloudsFor.Tests.Compute;

/// <summary>
/// What every compute driver promises, run against each of them: operations ensure a state, so
/// repeating one is harmless; a VM the driver does not know is reported as missing; destroying
/// leaves nothing. A new driver is done when it passes these.
/// </summary>
public abstract class DriverContract
{
    protected abstract IComputeDriver Driver { get; }

    protected static VmSpec NewSpec(string image = "tiny") =>
        new(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), "contract-vm", 256, 1, 2, Model.Ids.Derived("image", image), image,
            "fra1", "10.16.250." + Random.Shared.Next(2, 250), 16, [], "");

    [Fact]
    public async Task Creating_twice_gives_one_running_vm()
    {
        var spec = NewSpec();
        var first = await Driver.EnsureCreated(spec, CancellationToken.None);
        var second = await Driver.EnsureCreated(spec, CancellationToken.None);
        Assert.Equal(first.PortForwards, second.PortForwards);
        Assert.Equal(PowerState.Running, await Driver.PowerStateOf(spec.Id, CancellationToken.None));
        await Driver.EnsureDestroyed(spec.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_and_starting_twice_is_harmless()
    {
        var spec = NewSpec();
        await Driver.EnsureCreated(spec, CancellationToken.None);
        await Driver.EnsureStopped(spec.Id, graceful: false, CancellationToken.None);
        await Driver.EnsureStopped(spec.Id, graceful: true, CancellationToken.None);
        Assert.Equal(PowerState.Stopped, await Driver.PowerStateOf(spec.Id, CancellationToken.None));
        await Driver.EnsureRunning(spec.Id, CancellationToken.None);
        await Driver.EnsureRunning(spec.Id, CancellationToken.None);
        Assert.Equal(PowerState.Running, await Driver.PowerStateOf(spec.Id, CancellationToken.None));
        await Driver.EnsureDestroyed(spec.Id, CancellationToken.None);
    }

    [Fact]
    public async Task A_vm_the_driver_does_not_know_is_missing()
    {
        var unknown = NewSpec().Id;
        Assert.Equal(PowerState.Missing, await Driver.PowerStateOf(unknown, CancellationToken.None));
        await Assert.ThrowsAsync<VmMissingException>(() => Driver.EnsureRunning(unknown, CancellationToken.None));
        await Assert.ThrowsAsync<VmMissingException>(() => Driver.EnsureStopped(unknown, graceful: false, CancellationToken.None));
        await Assert.ThrowsAsync<VmMissingException>(() => Driver.Snapshot(unknown, NewSpec().Id, CancellationToken.None));
        Assert.Equal("", await Driver.ConsoleTail(unknown, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Destroying_twice_leaves_nothing()
    {
        var spec = NewSpec();
        await Driver.EnsureCreated(spec, CancellationToken.None);
        await Driver.EnsureDestroyed(spec.Id, CancellationToken.None);
        await Driver.EnsureDestroyed(spec.Id, CancellationToken.None);
        Assert.Equal(PowerState.Missing, await Driver.PowerStateOf(spec.Id, CancellationToken.None));
        Assert.Empty(await Driver.RemoveOrphans(new HashSet<string>(), CancellationToken.None));
    }

    [Fact]
    public async Task Orphans_are_removed_and_known_vms_kept()
    {
        var kept = NewSpec();
        var orphan = NewSpec();
        await Driver.EnsureCreated(kept, CancellationToken.None);
        await Driver.EnsureCreated(orphan, CancellationToken.None);
        var removed = await Driver.RemoveOrphans(new HashSet<string> { kept.Id }, CancellationToken.None);
        Assert.Equal([orphan.Id], removed);
        Assert.Equal(PowerState.Missing, await Driver.PowerStateOf(orphan.Id, CancellationToken.None));
        Assert.Equal(PowerState.Running, await Driver.PowerStateOf(kept.Id, CancellationToken.None));
        await Driver.EnsureDestroyed(kept.Id, CancellationToken.None);
    }
}
