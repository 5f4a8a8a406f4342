using System.Net;
using System.Net.Sockets;
using CloudsFor.Model;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// Real VMs: one QEMU process per VM, started daemonized so it outlives the server, controlled
/// over its QMP socket. Every operation first observes (is the process alive?) and then makes the
/// one step that reaches the wanted state, so repeating an operation after a crash is harmless.
/// </summary>
public sealed partial class QemuDriver(QemuSettings settings, BootImages images, RegionSwitches switches, Accelerator accelerators, ILogger<QemuDriver> log) : IComputeDriver
{
    public static readonly int[] ForwardedGuestPorts = [22, 80];

    public string Name => "qemu";

    readonly PowerWatch watch = new(log);

    public event Action<string>? PowerChanged
    {
        add => watch.Changed += value;
        remove => watch.Changed -= value;
    }

    VmFolder FolderOf(string vmId) => new(settings.VmsDir, vmId);

    VmFolder Existing(string vmId) => FolderOf(vmId) is { Exists: true } folder ? folder : throw new VmMissingException(vmId);

    public async Task<VmRuntime> EnsureCreated(VmSpec spec, CancellationToken ct)
    {
        var folder = FolderOf(spec.Id);
        var config = folder.ReadConfig();
        if (config is null)
        {
            var image = await images.Resolve(spec.ImageId, spec.ImageSlug, ct);
            Directory.CreateDirectory(folder.Path);
            await CreateDisk(folder, image, spec.Disk, ct);
            config = new VmConfig(spec.Id, spec.Name, spec.Memory, spec.Vcpus, spec.Disk, spec.ImageId, image.Kernel, image.Initrd,
                spec.Region, spec.PrivateIp, spec.PrefixLength, VmFolder.MacFor(spec.Id),
                ForwardedGuestPorts.Select(p => new ForwardedPort(p, FreeLoopbackPort())).ToList());
            await SeedDisk.Write(folder, config, spec.SshKeys, spec.UserData, ct);
            folder.WriteConfig(config); // last: a folder with vm.json is a complete VM
        }
        await EnsureRunning(spec.Id, ct);
        return RuntimeOf(config);
    }

    static VmRuntime RuntimeOf(VmConfig config) =>
        new(config.Forwards.Select(f => new PortForward("tcp", "127.0.0.1", f.HostPort, f.GuestPort)).ToList());

    public async Task EnsureRunning(string vmId, CancellationToken ct)
    {
        var folder = Existing(vmId);
        if (Pid(folder) is not null)
        {
            await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
            var status = (await qmp.Execute("query-status", null, ct))?["status"]?.GetValue<string>();
            if (status is "paused" or "suspended")
                await qmp.Execute("cont", null, ct);
            return;
        }
        await Start(folder, folder.ReadConfig()!, ct);
    }

    /// <summary>Starts the machine; <paramref name="keepConsole"/> appends to the serial log instead of starting it afresh.</summary>
    async Task Start(VmFolder folder, VmConfig config, CancellationToken ct, bool keepConsole = false)
    {
        // Locked: a volume attached meanwhile is either on this command line or hot-plugged into the started machine.
        await using var vmLock = await LockVm(config.Id, ct);
        var switchSocket = switches.Ensure(config.Region);
        var accelerator = await accelerators.For(config.Kernel ?? (await images.Tiny(ct)).Kernel!, ct);
        File.Delete(folder.Monitor);
        File.Delete(folder.Events);
        var args = new List<string>
        {
            "-name", $"cf-{config.Id},process=cf-{config.Id}", "-machine", "pc", "-accel", accelerator,
            "-m", config.Memory.ToString(), "-smp", config.Vcpus.ToString(), "-display", "none", "-nodefaults", "-vga", "none",
            "-drive", $"file={folder.Disk},if=virtio,format=qcow2",
            "-drive", $"file={folder.Seed},if=virtio,format=raw,readonly=on",
            "-netdev", $"dgram,id=private,local.type=unix,local.path={switches.PortOf(config.Region, config.Id)},remote.type=unix,remote.path={switchSocket}",
            "-device", $"virtio-net-pci,netdev=private,mac={config.Mac}",
            "-netdev", "user,id=forward,restrict=on," + string.Join(',', config.Forwards.Select(f => $"hostfwd=tcp:127.0.0.1:{f.HostPort}-:{f.GuestPort}")),
            "-device", $"virtio-net-pci,netdev=forward,mac={SeedDisk.ForwardNicMac(config.Mac)}",
            "-chardev", $"file,id=console,path={folder.SerialLog},append={(keepConsole ? "on" : "off")}", "-serial", "chardev:console", "-qmp", $"unix:{folder.Monitor},server=on,wait=off",
            "-qmp", $"unix:{folder.Events},server=on,wait=off",
            "-pidfile", folder.PidFile, "-daemonize",
        };
        // QEMU's default CPU lacks RDRAND, which TCG emulates: with it the guest kernel's random pool is ready at
        // once, where without it the first program asking for random bytes (the tiny image's SSH key) waited ~1 s.
        if (accelerator == "tcg")
            args.AddRange(["-cpu", "qemu64,+rdrand"]);
        args.AddRange(VolumeDevices.StartArguments(volumes, volumes.AttachedTo(config.Id)));
        if (config.Kernel is not null)
            args.AddRange(KernelBoot.Arguments(accelerator, config.Kernel, config.Initrd!));
        await HostTools.Run("qemu-system-x86_64", args, ct, TimeSpan.FromSeconds(60));
        log.LogInformation("started VM {VmId} ({Accel}, {Memory} MiB, {Vcpus} vCPUs)", config.Id, accelerator, config.Memory, config.Vcpus);
        if (Pid(folder) is { } pid)
            watch.Ensure(folder, pid);
    }

    public async Task EnsureStopped(string vmId, bool graceful, CancellationToken ct)
    {
        var folder = Existing(vmId);
        await using var vmLock = await LockVm(vmId, ct);
        if (Pid(folder) is not { } pid)
            return;
        if (graceful)
        {
            await using (var qmp = await QmpClient.Connect(folder.Monitor, ct))
                await qmp.Execute("system_powerdown", null, ct);
            if (await HostTools.WaitForExit(pid, settings.ShutdownTimeout, ct))
                return;
            log.LogWarning("VM {VmId} ignored the ACPI power button for {Timeout}; stopping it hard", vmId, settings.ShutdownTimeout);
        }
        try
        {
            await using var qmp = await QmpClient.Connect(folder.Monitor, ct);
            await qmp.Execute("quit", null, ct);
        }
        catch (Exception e) when (e is SocketException or DriverException or IOException)
        {
            HostTools.Kill(pid);
        }
        if (!await HostTools.WaitForExit(pid, TimeSpan.FromSeconds(10), ct))
            HostTools.Kill(pid);
    }

    /// <summary>
    /// Both ways end in a new process (which also picks up a changed configuration). A reboot lets the
    /// guest shut down cleanly first (ACPI, forced after the timeout) and keeps the console, so what the
    /// guest said while going down stays readable; a power cycle just quits.
    /// </summary>
    public async Task Restart(string vmId, bool hard, CancellationToken ct)
    {
        var folder = Existing(vmId);
        await EnsureStopped(vmId, graceful: !hard, ct);
        await Start(folder, folder.ReadConfig()!, ct, keepConsole: !hard);
    }

    public async Task Resize(VmSpec spec, CancellationToken ct)
    {
        var folder = Existing(spec.Id);
        var config = folder.ReadConfig()!;
        if (spec.Disk < config.Disk)
            throw new DriverException($"A disk cannot shrink from {config.Disk} GiB to {spec.Disk} GiB.");
        var wasRunning = Pid(folder) is not null;
        await EnsureStopped(spec.Id, graceful: true, ct);
        if (spec.Disk > config.Disk)
            await HostTools.Run("qemu-img", ["resize", "-q", folder.Disk, $"{spec.Disk}G"], ct);
        folder.WriteConfig(config with { Memory = spec.Memory, Vcpus = spec.Vcpus, Disk = spec.Disk });
        if (wasRunning)
            await EnsureRunning(spec.Id, ct);
    }

    public async Task<VmRuntime> Rebuild(VmSpec spec, CancellationToken ct)
    {
        var folder = FolderOf(spec.Id);
        if (folder.ReadConfig() is not { } config)
            return await EnsureCreated(spec, ct);
        await EnsureStopped(spec.Id, graceful: false, ct);
        var image = await images.Resolve(spec.ImageId, spec.ImageSlug, ct);
        await CreateDisk(folder, image, config.Disk, ct);
        config = config with { ImageId = spec.ImageId, Kernel = image.Kernel, Initrd = image.Initrd };
        await SeedDisk.Write(folder, config, spec.SshKeys, spec.UserData, ct);
        folder.WriteConfig(config);
        await EnsureRunning(spec.Id, ct);
        return RuntimeOf(config);
    }

    /// <summary>A standalone copy of the disk, taken while the guest is paused (crash-consistent), bootable like its source.</summary>
    public async Task<long> Snapshot(string vmId, string imageId, CancellationToken ct)
    {
        var folder = Existing(vmId);
        var config = folder.ReadConfig()!;
        var target = images.SnapshotFolder(imageId);
        var copy = Path.Combine(target, "disk.qcow2");
        if (File.Exists(Path.Combine(target, "boot.json")))
            return new FileInfo(copy).Length;
        Directory.CreateDirectory(target);
        var running = Pid(folder) is not null;
        QmpClient? qmp = running ? await QmpClient.Connect(folder.Monitor, ct) : null;
        try
        {
            if (qmp is not null)
                await qmp.Execute("stop", null, ct);
            await HostTools.Run("qemu-img", ["convert", "-U", "-O", "qcow2", folder.Disk, copy], ct);
        }
        finally
        {
            if (qmp is not null)
            {
                await qmp.Execute("cont", null, CancellationToken.None);
                await qmp.DisposeAsync();
            }
        }
        BootImages.WriteBootFile(target, new BootImage("disk.qcow2", config.Kernel, config.Initrd));
        return new FileInfo(copy).Length;
    }

    public async Task EnsureDestroyed(string vmId, CancellationToken ct)
    {
        var folder = FolderOf(vmId);
        if (Directory.Exists(folder.Path))
        {
            if (folder.ReadConfig() is { } config)
            {
                await EnsureStopped(vmId, graceful: false, ct);
                File.Delete(switches.PortOf(config.Region, config.Id));
            }
            else if (Pid(folder) is { } pid)
                HostTools.Kill(pid);
            Directory.Delete(folder.Path, recursive: true);
        }
        // Volumes outlive their VM: they stay, detached.
        foreach (var volumeId in volumes.AttachedTo(vmId))
            volumes.SetAttachedVm(volumeId, null);
    }

    public Task<PowerState> PowerStateOf(string vmId, CancellationToken ct)
    {
        var folder = FolderOf(vmId);
        return Task.FromResult(!folder.Exists ? PowerState.Missing : Pid(folder) is null ? PowerState.Stopped : PowerState.Running);
    }

    /// <summary>Each from its files and process; a running VM not watched yet (started by an earlier server) is watched from now on.</summary>
    public Task<IReadOnlyDictionary<string, PowerState>> PowerStatesOf(IReadOnlyList<string> vmIds, CancellationToken ct)
    {
        var states = new Dictionary<string, PowerState>();
        foreach (var vmId in vmIds)
        {
            var folder = FolderOf(vmId);
            var pid = folder.Exists ? Pid(folder) : null;
            if (pid is not null)
                watch.Ensure(folder, pid.Value);
            states[vmId] = !folder.Exists ? PowerState.Missing : pid is null ? PowerState.Stopped : PowerState.Running;
        }
        return Task.FromResult<IReadOnlyDictionary<string, PowerState>>(states);
    }

    public Task<string> ConsoleTail(string vmId, int lines, CancellationToken ct)
    {
        var folder = FolderOf(vmId);
        return Task.FromResult(ConsoleLog.Tail(folder.SerialLog, lines));
    }

    /// <summary>Processes and folders of VMs the store does not know: left by a crash between steps, or by a deleted store.</summary>
    public async Task<IReadOnlyList<string>> RemoveOrphans(IReadOnlySet<string> knownVmIds, CancellationToken ct)
    {
        var removed = new List<string>();
        if (Directory.Exists(settings.VmsDir))
            foreach (var dir in Directory.GetDirectories(settings.VmsDir))
            {
                var id = Path.GetFileName(dir);
                if (knownVmIds.Contains(id))
                    continue;
                await EnsureDestroyed(id, ct);
                removed.Add(id);
            }
        foreach (var (pid, id) in QemuProcessesUnder(settings.VmsDir))
            if (!knownVmIds.Contains(id))
            {
                HostTools.Kill(pid);
                removed.Add(id);
            }
        ReattachSwitches();
        return removed.Distinct().ToList();
    }

    /// <summary>
    /// The switches live in the server, the VMs outlive it: at start (before the API opens, with the
    /// orphans gone) every region with a running VM gets its switch back, on the socket its VMs send to.
    /// </summary>
    void ReattachSwitches()
    {
        if (Directory.Exists(settings.VmsDir))
            foreach (var dir in Directory.GetDirectories(settings.VmsDir))
                if (FolderOf(Path.GetFileName(dir)) is var folder && Pid(folder) is not null && folder.ReadConfig() is { } config)
                    switches.Ensure(config.Region);
    }

    /// <summary>
    /// Files of snapshot images the store no longer has. VMs made from a snapshot have overlays that
    /// read from its disk: each is first made to stand alone, and a folder goes only once no disk's
    /// backing chain names a file in it. What cannot be detached now stays until the next start.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveOrphanImages(IReadOnlySet<string> knownImageIds, CancellationToken ct)
    {
        var removed = new List<string>();
        // Only snapshot folders are named by id; built images (tiny) are named by slug and never removed.
        var orphans = Directory.Exists(settings.ImagesDir)
            ? Directory.GetDirectories(settings.ImagesDir).Where(dir => Ids.LookLikeId(Path.GetFileName(dir)) && !knownImageIds.Contains(Path.GetFileName(dir))).ToList()
            : [];
        if (orphans.Count == 0)
            return removed;
        Dictionary<VmFolder, IReadOnlyList<string>> chains;
        try
        {
            chains = await BackingChains(ct);
        }
        catch (DriverException e)
        {
            log.LogError("kept the files of deleted snapshots ({Reason}); trying again at the next start", e.Message);
            return removed;
        }
        foreach (var dir in orphans)
        {
            var id = Path.GetFileName(dir);
            try
            {
                await RemoveImageFolder(dir, chains, ct);
                removed.Add(id);
            }
            catch (Exception e) when (e is DriverException or IOException or SocketException)
            {
                log.LogError("kept the files of deleted snapshot {ImageId} ({Reason}); trying again at the next start", id, e.Message);
            }
        }
        return removed;
    }

    /// <summary>DELETE of a snapshot: its files go now, by the same steps as at start.</summary>
    public async Task EnsureImageDestroyed(string imageId, CancellationToken ct)
    {
        var dir = images.SnapshotFolder(imageId);
        if (!Directory.Exists(dir))
            return;
        try
        {
            await RemoveImageFolder(dir, await BackingChains(ct), ct);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new DriverException($"The files of snapshot {imageId} could not be removed ({e.Message}); the next start tries again.");
        }
    }

    async Task RemoveImageFolder(string dir, Dictionary<VmFolder, IReadOnlyList<string>> chains, CancellationToken ct)
    {
        foreach (var folder in chains.Keys.Where(f => Reads(chains[f], dir)).ToList())
        {
            log.LogInformation("VM {VmId} was made from deleted snapshot {ImageId}: copying what it reads from it into its own disk", folder.VmId, Path.GetFileName(dir));
            await BackingFiles.Detach(folder, Pid(folder) is not null, ct);
            chains[folder] = await BackingFiles.ChainOf(folder.Disk, ct);
        }
        if (chains.Keys.FirstOrDefault(f => Reads(chains[f], dir)) is { } still)
            throw new DriverException($"the disk of VM {still.VmId} still reads from it");
        Directory.Delete(dir, recursive: true);
    }

    static bool Reads(IReadOnlyList<string> chain, string imageDir) =>
        chain.Any(file => file.StartsWith(Path.GetFullPath(imageDir) + "/", StringComparison.Ordinal));

    /// <summary>The backing chain of every VM disk. A disk whose header cannot be read stops the removal: it might name any file.</summary>
    async Task<Dictionary<VmFolder, IReadOnlyList<string>>> BackingChains(CancellationToken ct)
    {
        var chains = new Dictionary<VmFolder, IReadOnlyList<string>>();
        if (Directory.Exists(settings.VmsDir))
            foreach (var dir in Directory.GetDirectories(settings.VmsDir))
                if (FolderOf(Path.GetFileName(dir)) is var folder && File.Exists(folder.Disk))
                    chains[folder] = await BackingFiles.ChainOf(folder.Disk, ct);
        return chains;
    }

    static IEnumerable<(int Pid, string VmId)> QemuProcessesUnder(string vmsDir)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || HostTools.CommandLineOf(pid) is not { } cmd)
                continue;
            if (!cmd.StartsWith("qemu-system", StringComparison.Ordinal) || !cmd.Contains(vmsDir + "/", StringComparison.Ordinal))
                continue;
            var marker = cmd.IndexOf("-name cf-", StringComparison.Ordinal);
            if (marker >= 0 && cmd.Length >= marker + 9 + 32)
                yield return (pid, cmd.Substring(marker + 9, 32));
        }
    }

    int? Pid(VmFolder folder) => HostTools.LivePid(folder.PidFile, folder.Path);

    static async Task CreateDisk(VmFolder folder, BootImage image, int diskGib, CancellationToken ct)
    {
        File.Delete(folder.Disk);
        await HostTools.Run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", Path.GetFullPath(image.BaseDisk), folder.Disk, $"{diskGib}G"], ct);
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What the host can hold: its CPUs and memory times the operator's overcommit ratios.</summary>
    public Capacity HostCapacity()
    {
        var memoryMib = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        return new Capacity((long)(Environment.ProcessorCount * settings.CpuOvercommit), (long)(memoryMib * settings.MemoryOvercommit), long.MaxValue);
    }
}
