using CloudsFor.Compute;
using CloudsFor.Compute.Simulated;
using CloudsFor.Store;
using CloudsFor.Tests.Store;
using Dapper;

namespace CloudsFor.Tests.Compute;

public sealed class SimulatedDriverTests : DriverContract, IDisposable
{
    readonly StoreFile store = new();

    protected override IComputeDriver Driver { get; }

    public SimulatedDriverTests() => Driver = new SimulatedDriver(store.Db, new SimulatedSettings(0, 0));

    public void Dispose() => store.Dispose();

    [Fact]
    public async Task An_injected_failure_names_the_operation()
    {
        var failing = new SimulatedDriver(store.Db, new SimulatedSettings(0, 0, new HashSet<string> { "create" }));
        var error = await Assert.ThrowsAsync<DriverException>(() => failing.EnsureCreated(NewSpec(), CancellationToken.None));
        Assert.Contains("create", error.Message);
    }

    public static readonly TheoryData<string> Operations = new(SimulatedSettings.Operations);

    /// <summary>Every name --sim-fail accepts fails the operation of that name (none is a name no operation has).</summary>
    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_name_fails_its_operation(string operation)
    {
        var failing = new SimulatedDriver(store.Db, new SimulatedSettings(0, 0, SimulatedSettings.ParseFailOperations(operation)));
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

    sealed record Execution(string Operation, string Server, string StartedAt, string? EndedAt);

    /// <summary>
    /// Two servers on one store (each with its own connections to it): what one does to a VM the other
    /// sees, and each operation is recorded as the execution of the server that ran it, from its start to its end.
    /// </summary>
    [Fact]
    public async Task Servers_sharing_a_store_act_on_each_others_vms_and_record_their_executions()
    {
        var other = new Db(((SqliteEngine)store.Db.Engine).Path);
        var first = new SimulatedDriver(store.Db, new SimulatedSettings(0, 0), server: "first");
        var second = new SimulatedDriver(other, new SimulatedSettings(0, 0, new HashSet<string> { "reboot" }), server: "second");
        var spec = NewSpec();
        var ct = CancellationToken.None;

        await first.EnsureCreated(spec, ct);
        Assert.Equal(PowerState.Running, await second.PowerStateOf(spec.Id, ct));
        await second.EnsureStopped(spec.Id, graceful: false, ct);
        Assert.Equal(PowerState.Stopped, await first.PowerStateOf(spec.Id, ct));
        await Assert.ThrowsAsync<DriverException>(() => second.Restart(spec.Id, hard: false, ct));
        Assert.Equal("cloudsfor: ready\ncloudsfor: powered off\n", await first.ConsoleTail(spec.Id, 2, ct));

        var executions = (await store.Db.Read(c => c.QueryAsync<Execution>(
            "SELECT operation, server, started_at AS StartedAt, ended_at AS EndedAt FROM simulated_executions WHERE resource_id = @Id ORDER BY id", new { spec.Id }))).ToList();
        Assert.Equal([("create", "first"), ("power_off", "second"), ("reboot", "second")], executions.Select(e => (e.Operation, e.Server)));
        // Each ended (the failed one too), none before it started, and the next began after it: they never overlapped.
        Assert.All(executions, e => Assert.True(string.CompareOrdinal(e.StartedAt, e.EndedAt) <= 0, $"{e} ended before it started"));
        Assert.All(executions.Zip(executions.Skip(1)), pair => Assert.True(string.CompareOrdinal(pair.First.EndedAt, pair.Second.StartedAt) <= 0));
    }

    /// <summary>A VM's console keeps its last lines, as many as the API lets one ask for, so it cannot grow without bound.</summary>
    [Fact]
    public async Task A_console_keeps_only_its_last_lines()
    {
        var vmId = NewSpec().Id;
        await store.Db.Write(async (c, t) =>
        {
            for (var line = 1; line <= SimulatedSql.ConsoleLines + 3; line++)
                await SimulatedSql.Print(c, t, vmId, $"line {line}");
        });
        var kept = await store.Db.Read(c => c.QueryAsync<string>("SELECT line FROM simulated_console WHERE vm_id = @vmId ORDER BY seq", new { vmId }));
        Assert.Equal(SimulatedSql.ConsoleLines, kept.Count());
        Assert.Equal("line 4", kept.First());
        Assert.Equal($"line {SimulatedSql.ConsoleLines + 2}\nline {SimulatedSql.ConsoleLines + 3}\n", await Driver.ConsoleTail(vmId, 2, CancellationToken.None));
    }
}
