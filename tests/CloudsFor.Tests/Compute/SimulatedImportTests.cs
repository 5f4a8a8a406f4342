using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Compute;

/// <summary>
/// A data folder from before the simulated driver kept its state in the store: its files under DATA/simulated/ are
/// imported at the next start, and the folder kept as simulated.imported, so a user's VMs and volumes carry on.
/// </summary>
public sealed class SimulatedImportTests
{
    [Fact]
    public async Task The_state_files_of_an_older_server_are_imported_at_start()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.CreateActive(user.Api, name: "from-files");
        var id = vm.Str("id");
        var volumeId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        server.Kill();

        // The store as an older server left it (no rows of the driver), with the files it wrote instead.
        SimulatedRows.RemoveVm(server, id);
        var folder = Path.Combine(server.DataDir, "simulated");
        Directory.CreateDirectory(Path.Combine(folder, "volumes"));
        File.WriteAllText(Path.Combine(folder, id + ".json"), JsonSerializer.Serialize(new
        {
            Id = id, Power = 1, Memory = vm.GetProperty("memory").GetInt32(), Vcpus = vm.GetProperty("vcpus").GetInt32(),
            Disk = vm.GetProperty("disk").GetInt32(), ImageId = vm.GetProperty("image").Str("id"), Snapshots = 0,
        }));
        File.WriteAllText(Path.Combine(folder, id + ".log"), "cloudsfor: simulated VM from-files booted from image tiny\ncloudsfor: ready\n");
        File.WriteAllText(Path.Combine(folder, "volumes", volumeId + ".json"),
            JsonSerializer.Serialize(new { Id = volumeId, SizeGigabytes = 1, FilesystemType = "ext4", FilesystemLabel = "", VmId = (string?)null }));
        await server.RestartAsync();

        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(Path.Combine(server.DataDir, "simulated.imported", id + ".json")));
        Assert.True(SimulatedRows.Has(server, "volume", volumeId));
        Assert.Equal("active", (await Vms.Get(user.Api, id)).Status());
        Assert.Equal("cloudsfor: simulated VM from-files booted from image tiny\ncloudsfor: ready\n",
            (await user.Api.Get($"/vms/{id}/console?lines=5")).Expect(200)["console"].Str("output"));
        // The driver knows the VM, running: powering it off works and prints on the imported console.
        Assert.Equal("off", (await Vms.RunCompleted(user.Api, id, new { type = "power_off" })).Status());
        Assert.EndsWith("cloudsfor: ready\ncloudsfor: powered off\n", (await user.Api.Get($"/vms/{id}/console")).Expect(200)["console"].Str("output"));
    }
}
