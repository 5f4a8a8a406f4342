using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class SnapshotTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_volume_snapshot_is_made_listed_copied_into_a_volume_and_deleted()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var volume = await client.Volumes.CreateAsync(new CreateVolumeRequest(VolumeKit.UniqueName(), 10, "fra1") { FilesystemType = "ext4", FilesystemLabel = "data" });
        await client.Actions.WaitForActionAsync(volume.ActionId);

        var created = await client.Volumes.CreateSnapshotAsync(volume.Volume.Id, new CreateSnapshotRequest("nightly") { Tags = ["keep"] });
        Assert.Equal(("nightly", SnapshotResourceType.Volume, volume.Volume.Id, 10, "creating"),
            (created.Snapshot.Name, created.Snapshot.ResourceType, created.Snapshot.ResourceId, created.Snapshot.MinDiskSize, created.Snapshot.Status));
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(created.ActionId)).Status);
        var snapshot = await client.Snapshots.GetAsync(created.Snapshot.Id);
        Assert.Equal(("available", 0.4), (snapshot.Status, snapshot.SizeGigabytes));
        Assert.Equal(["fra1"], snapshot.Regions);
        Assert.Equal([snapshot.Id], (await client.Volumes.ListSnapshotsAsync(volume.Volume.Id).ToListAsync()).Select(s => s.Id));
        Assert.Equal([snapshot.Id], (await client.Snapshots.ListAsync(tagName: "keep").ToListAsync()).Select(s => s.Id));

        var copy = await client.Volumes.CreateAsync(new CreateVolumeRequest(VolumeKit.UniqueName(), 12, null) { SnapshotId = snapshot.Id });
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(copy.ActionId)).Status);
        var made = await client.Volumes.GetAsync(copy.Volume.Id);
        Assert.Equal(("fra1", "ext4", "data"), (made.RegionSlug, made.FilesystemType, made.FilesystemLabel));

        await client.Snapshots.DeleteAsync(snapshot.Id);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.Snapshots.GetAsync(snapshot.Id))).Status);
    }

    [Fact]
    public async Task Vm_snapshots_are_listed_with_the_vm_and_among_all_snapshots()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var vm = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));
        await client.Actions.WaitForActionAsync(vm.ActionId);
        await client.Actions.WaitForActionAsync((await client.VmActions.SnapshotAsync(vm.Vm.Id, "golden")).Id);

        var image = Assert.Single(await client.Vms.ListSnapshotsAsync(vm.Vm.Id).ToListAsync());
        var snapshot = Assert.Single(await client.Snapshots.ListAsync(SnapshotResourceType.Vm).ToListAsync());
        Assert.Equal((image.Id, "golden", vm.Vm.Id), (snapshot.Id, snapshot.Name, snapshot.ResourceId));
        Assert.Empty(await client.Snapshots.ListAsync(SnapshotResourceType.Volume).ToListAsync());
        Assert.Equal(1, (await client.Snapshots.GetPageAsync()).Total);
    }
}
