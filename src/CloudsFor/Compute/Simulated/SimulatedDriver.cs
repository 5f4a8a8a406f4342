using System.Text.Json;

namespace CloudsFor.Compute.Simulated;

/// <summary>
/// VMs as small state files (one per VM under DATA/simulated/), with realistic delays and
/// injectable faults. Keeping the state on disk means a restarted server finds its VMs as a real
/// hypervisor would. Nothing runs: this is for development, tests and large-scale simulation.
/// </summary>
public sealed class SimulatedDriver(string folder, SimulatedSettings settings) : IComputeDriver
{
    sealed record State(string Id, PowerState Power, int Memory, int Vcpus, int Disk, string ImageId, int Snapshots);

    public string Name => "simulated";

    public async Task EnsureCreated(VmSpec spec, CancellationToken ct)
    {
        await Work("create", ct);
        if (Load(spec.Id) is null)
            Save(new State(spec.Id, PowerState.Running, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, 0));
        else
            Save(Load(spec.Id)! with { Power = PowerState.Running });
    }

    public async Task EnsureRunning(string vmId, CancellationToken ct)
    {
        await Work("power_on", ct);
        Save(Existing(vmId) with { Power = PowerState.Running });
    }

    public async Task EnsureStopped(string vmId, bool graceful, CancellationToken ct)
    {
        await Work(graceful ? "shutdown" : "power_off", ct);
        Save(Existing(vmId) with { Power = PowerState.Stopped });
    }

    public async Task Restart(string vmId, bool hard, CancellationToken ct)
    {
        await Work(hard ? "power_cycle" : "reboot", ct);
        Save(Existing(vmId) with { Power = PowerState.Running });
    }

    public async Task Resize(VmSpec spec, CancellationToken ct)
    {
        await Work("resize", ct);
        var state = Existing(spec.Id);
        if (spec.Disk < state.Disk)
            throw new DriverException($"A disk cannot shrink from {state.Disk} GiB to {spec.Disk} GiB.");
        Save(state with { Memory = spec.Memory, Vcpus = spec.Vcpus, Disk = spec.Disk });
    }

    public async Task Rebuild(VmSpec spec, CancellationToken ct)
    {
        await Work("rebuild", ct);
        Save(Existing(spec.Id) with { ImageId = spec.ImageId, Power = PowerState.Running });
    }

    public async Task Snapshot(string vmId, string imageId, CancellationToken ct)
    {
        await Work("snapshot", ct);
        var state = Existing(vmId);
        Save(state with { Snapshots = state.Snapshots + 1 });
    }

    public async Task EnsureDestroyed(string vmId, CancellationToken ct)
    {
        await Work("destroy", ct);
        File.Delete(PathOf(vmId));
    }

    public Task<PowerState> PowerStateOf(string vmId, CancellationToken ct) =>
        Task.FromResult(Load(vmId)?.Power ?? PowerState.Missing);

    /// <summary>The operation's delay, then its injected failure if one is configured.</summary>
    async Task Work(string operation, CancellationToken ct)
    {
        var delay = Random.Shared.Next(settings.MinDelayMs, settings.MaxDelayMs + 1);
        if (delay > 0)
            await Task.Delay(delay, ct);
        if (settings.FailOperations?.Contains(operation) == true || (settings.FailRate > 0 && Random.Shared.NextDouble() < settings.FailRate))
            throw new DriverException($"Simulated failure of {operation} (fault injection is configured).");
    }

    string PathOf(string vmId) => Path.Combine(folder, vmId + ".json");

    State? Load(string vmId) => File.Exists(PathOf(vmId)) ? JsonSerializer.Deserialize<State>(File.ReadAllText(PathOf(vmId))) : null;

    State Existing(string vmId) => Load(vmId) ?? throw new VmMissingException(vmId);

    /// <summary>Write then rename, so a kill mid-write never leaves a torn state file.</summary>
    void Save(State state)
    {
        Directory.CreateDirectory(folder);
        var temp = PathOf(state.Id) + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state));
        File.Move(temp, PathOf(state.Id), overwrite: true);
    }
}
