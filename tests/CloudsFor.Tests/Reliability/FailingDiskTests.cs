using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CloudsFor.Tests.Images;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// The SQLite store's file on a disk that fills up or fails: a small tmpfs of the test's as the data folder, filled to
/// the last byte; and strace making the server's fsync calls fail. Writes get the contract's 503 with Retry-After,
/// reads go on, the server recovers by itself, and what it acknowledged is exactly what is stored.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class FailingDiskTests(ITestOutputHelper output) : IDisposable
{
    readonly TempFolder folder = new("cloudsfor-disk-");
    ServerProcess? server;
    Process? strace;
    string? mounted;

    [Fact]
    public async Task A_full_disk_refuses_writes_with_503_keeps_reads_and_recovers_by_itself()
    {
        mounted = await MountSmallDisk();
        server = await ServerProcess.StartIn(mounted, "--sim-delay-ms", "0", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server);
        var accepted = new List<string>();
        for (var i = 0; i < 5; i++)
            accepted.Add((await Vms.CreateActive(user.Api)).Str("id"));
        var image = (await user.Api.Post("/images", new { name = "upload" })).Expect(202)["image"].Str("id");

        var filler = FillAfterEmptyingTheLog(server, mounted);

        var refused = new[]
        {
            await user.Api.Post("/vms", new { name = Vms.UniqueName(), size = Vms.SmallSize, image = Vms.TinyImage }),
            await user.Api.Post($"/vms/{accepted[0]}/actions", new { type = "power_off" }),
            await user.Api.Put($"/vms/{accepted[1]}", new { name = "renamed" }),
            await user.Api.Delete($"/vms/{accepted[2]}"),
            await user.Api.Post("/tokens", new { name = "t", scopes = new[] { "read" } }),
            // Not the store's file: the upload's own, streamed into the data folder.
            await user.Api.SendContent(HttpMethod.Put, $"/images/{image}/file", ImageImportTests.Octets(new byte[1 << 20])),
        };
        foreach (var answer in refused)
            Assert.Equal("30", answer.ExpectError(503, "service_unavailable").Header("Retry-After"));

        var listed = (await ReliabilityKit.All(user.Api, "/vms", "vms")).Select(v => v.Str("id")).ToHashSet();
        Assert.Equal(accepted.ToHashSet(), listed);
        foreach (var id in accepted)
            Assert.Equal("active", (await Vms.Get(user.Api, id)).Status());

        File.Delete(filler);
        // The same server, not restarted: its next write finds room again.
        var created = await Poll.Until(() => user.Api.Post("/vms", new { name = Vms.UniqueName(), size = Vms.SmallSize, image = Vms.TinyImage }),
            r => r.Status != 503, "a write after the disk has room again");
        accepted.Add(created.Expect(202)["vm"].Str("id"));
        (await user.Api.Put($"/vms/{accepted[1]}", new { name = "renamed" })).Expect(200);
        (await user.Api.Post($"/vms/{accepted[0]}/actions", new { type = "power_off" })).Expect(201);

        server.Kill();
        ReliabilityKit.AssertStoreIntact(server);
        Assert.Subset(StoreSql.Column<string>(server, "SELECT id FROM vms").ToHashSet(), accepted.ToHashSet());
    }

    [Fact]
    public async Task A_create_whose_hypervisor_work_ends_on_a_full_disk_waits_for_room_and_ends_active()
    {
        mounted = await MountSmallDisk();
        // Each operation of the simulated hypervisor takes 3 s: the create is under way when the disk fills, and its
        // result (the VM active, the action completed) is written after.
        server = await ServerProcess.StartIn(mounted, "--sim-delay-ms", "3000", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.Create(user.Api);
        await Poll.Until(() => Task.FromResult(StoreSql.Column<long>(server,
                "SELECT COUNT(*) FROM simulated_executions WHERE resource_id = @id AND operation = 'create' AND ended_at IS NULL", ("id", vm.Id)).Single()),
            running => running == 1, "the hypervisor's create under way");
        var filler = FillAfterEmptyingTheLog(server, mounted);

        await Poll.Until(() => Task.FromResult(server.Output), log => log.Contains("wait for the store to take writes again", StringComparison.Ordinal),
            "the worker waiting for room");
        Assert.Equal("new", (await Vms.Get(user.Api, vm.Id)).Status());
        Assert.Equal("in-progress", (await user.Api.Get($"/actions/{vm.CreateActionId}")).Expect(200)["action"].Status());

        File.Delete(filler);
        var action = await Vms.WaitForAction(user.Api, vm.CreateActionId);
        Assert.Equal("completed", action.Status());
        Assert.Equal("active", (await Vms.Get(user.Api, vm.Id)).Status());
        server.Kill();
        ReliabilityKit.AssertStoreIntact(server);
    }

    [Fact]
    public async Task A_failing_fsync_loses_no_acknowledged_write_and_acknowledges_no_unwritten_one()
    {
        server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server);
        var before = (await Vms.Create(user.Api)).Id;

        // Every other fsync of each thread fails: some commits are acknowledged, some are not, and some requests lose
        // their answer after their work was committed (the Idempotency-Key's own save fails).
        await Attach(server.Pid, "fsync:error=EIO:when=2+2", "fdatasync:error=EIO:when=2+2");
        var answers = new ConcurrentDictionary<string, ApiResponse>(); // name (= Idempotency-Key) -> the answer
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            for (var i = 0; i < 10; i++)
            {
                var name = $"fsync-{client}-{i}";
                answers[name] = await user.Api.Post("/vms", Body(name), Key(name));
            }
        }));
        await Detach();

        var acknowledged = answers.Where(a => a.Value.Status == 202).ToDictionary(a => a.Key, a => a.Value["vm"].Str("id"));
        var failed = answers.Keys.Except(acknowledged.Keys).ToList();
        foreach (var name in failed)
            Assert.Equal("5", answers[name].ExpectError(503, "service_unavailable").Header("Retry-After"));
        output.WriteLine($"{acknowledged.Count} creates acknowledged, {failed.Count} refused while fsync failed");
        Assert.NotEmpty(acknowledged);
        Assert.NotEmpty(failed);

        // Every sync fails: no write is acknowledged, and none may come back after a crash (SQLite has already put the
        // frames of each failed commit into its log file).
        await Attach(server.Pid, "fsync:error=EIO", "fdatasync:error=EIO");
        var refused = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add($"refused-{i}");
            Assert.Equal("5", (await user.Api.Post("/vms", Body(refused[^1]))).ExpectError(503, "service_unavailable").Header("Retry-After"));
        }
        await Detach();

        await server.RestartAsync();
        var stored = (await ReliabilityKit.All(user.Api, "/vms", "vms")).ToDictionary(v => v.Str("id"), v => v.Str("name"));
        foreach (var (name, id) in acknowledged)
            Assert.Equal(name, stored.GetValueOrDefault(id));
        Assert.DoesNotContain(stored.Values, refused.Contains);

        // A refused request sent again with its key: done now if it was not done, a 409 saying so if it was.
        foreach (var name in failed)
        {
            var again = await user.Api.Post("/vms", Body(name), Key(name));
            if (stored.ContainsValue(name))
                again.ExpectError(409, "conflict");
            else
                again.Expect(202);
        }
        var names = (await ReliabilityKit.All(user.Api, "/vms", "vms")).Where(v => v.Str("id") != before).Select(v => v.Str("name")).ToList();
        Assert.Equal(answers.Keys.Order(), names.Order());

        server.Kill();
        ReliabilityKit.AssertStoreIntact(server);
    }

    static object Body(string name) => new { name, size = Vms.SmallSize, image = Vms.TinyImage };

    static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    async Task<string> MountSmallDisk()
    {
        var path = Path.Combine(folder.Path, "data");
        Directory.CreateDirectory(path);
        var (code, text) = await Tools.Run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", path);
        Assert.True(code == 0, $"mount: {text}");
        return path;
    }

    /// <summary>
    /// SQLite writes its log over from the start once every page in it has been copied back, into room the file already
    /// has, so a full disk can still take a few writes. Emptied first (and cut to nothing), every write needs new room.
    /// Returns the file that fills the disk.
    /// </summary>
    string FillAfterEmptyingTheLog(ServerProcess running, string disk)
    {
        using (var store = StoreSql.Open(running))
        using (var empty = store.CreateCommand())
        {
            empty.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            Assert.Equal(0L, empty.ExecuteScalar());
        }
        var filler = Path.Combine(disk, "filler");
        output.WriteLine($"filled the disk with {Fill(filler)} bytes");
        return filler;
    }

    /// <summary>Writes until the file system has no byte left; returns how many it took.</summary>
    internal static long Fill(string path)
    {
        var chunk = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
                file.Write(chunk);
        }
        catch (IOException)
        {
            return file.Length;
        }
    }

    /// <summary>strace on every thread of the server, failing the calls as <paramref name="injections"/> say; returns once it is attached.</summary>
    async Task Attach(int pid, params string[] injections)
    {
        var start = new ProcessStartInfo("strace") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-f", "-o", Path.Combine(folder.Path, "strace.log"), "-e", "trace=fsync,fdatasync" }
                     .Concat(injections.SelectMany(i => new[] { "-e", "inject=" + i })).Append("-p").Append(pid.ToString()))
            start.ArgumentList.Add(arg);
        strace = Process.Start(start) ?? throw new InvalidOperationException("strace did not start");
        // strace says "Process N attached with M threads" once every thread is traced.
        while (await strace.StandardError.ReadLineAsync() is { } line)
            if (line.Contains("attached", StringComparison.Ordinal))
                return;
        Assert.Fail($"strace ended without attaching (exit {strace.ExitCode}); ./test.sh installs it");
    }

    /// <summary>SIGTERM makes strace detach and leave the server running as before.</summary>
    async Task Detach()
    {
        if (strace is not { HasExited: false } running)
            return;
        using (var kill = Process.Start("kill", ["-TERM", running.Id.ToString()]))
            await kill.WaitForExitAsync();
        await running.WaitForExitAsync();
        output.WriteLine(File.Exists(Path.Combine(folder.Path, "strace.log"))
            ? $"{File.ReadLines(Path.Combine(folder.Path, "strace.log")).Count(l => l.Contains("INJECTED", StringComparison.Ordinal))} syncs failed by strace"
            : "strace wrote no log");
    }

    public void Dispose()
    {
        Detach().GetAwaiter().GetResult();
        strace?.Dispose();
        server?.Dispose();
        if (mounted is not null)
            Tools.Run("umount", mounted).GetAwaiter().GetResult();
        folder.Dispose();
    }
}
