using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class VolumeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_volume_is_created_attached_resized_detached_and_deleted()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var vm = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));
        var name = VolumeKit.UniqueName();
        var created = await client.Volumes.CreateAsync(new CreateVolumeRequest(name, 10, "fra1") { FilesystemType = "ext4", Tags = ["data"] });
        Assert.Equal((name, 10, "fra1", "ext4", "creating"), (created.Volume.Name, created.Volume.SizeGigabytes, created.Volume.RegionSlug,
            created.Volume.FilesystemType, created.Volume.Status));
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(created.ActionId)).Status);
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(vm.ActionId)).Status);
        var id = created.Volume.Id;

        var attach = await client.Volumes.AttachAsync(id, vm.Vm.Id);
        Assert.Equal(("attach", "volume"), (attach.Type, attach.ResourceType));
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(attach.Id)).Status);
        Assert.Equal([vm.Vm.Id], (await client.Volumes.GetAsync(id)).VmIds);
        Assert.Equal([id], (await client.Vms.GetAsync(vm.Vm.Id)).VolumeIds);
        Assert.Equal(409, (await Assert.ThrowsAsync<ApiException>(() => client.Volumes.DeleteAsync(id))).Status);

        var resize = await client.Volumes.RunByNameAsync(new VolumeActionRequest(VolumeActionType.Resize, SizeGigabytes: 20, VolumeName: name, Region: "fra1"));
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(resize.Id)).Status);
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync((await client.Volumes.DetachAsync(id)).Id)).Status);
        var volume = await client.Volumes.GetAsync(id);
        Assert.Equal((20, 0), (volume.SizeGigabytes, volume.VmIds.Count));
        Assert.Equal([id], (await client.Volumes.ListAsync(region: "fra1").ToListAsync()).Select(v => v.Id));
        Assert.Empty(await client.Volumes.ListAsync(region: "nyc1").ToListAsync());
        Assert.Equal(["create", "attach", "resize", "detach"], (await client.Volumes.ListActionsAsync(id).ToListAsync()).Select(a => a.Type));
        var account = await client.Account.GetAsync();
        Assert.Equal((1, 20), (account.Usage.Volumes, account.Usage.VolumeGigabytes));

        await client.Volumes.DeleteAsync(id);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.Volumes.GetAsync(id))).Status);
    }

    [Fact]
    public async Task A_shrink_is_a_422_on_size_gigabytes()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Volumes.CreateAsync(new CreateVolumeRequest(VolumeKit.UniqueName(), 10, "fra1"));
        await client.Actions.WaitForActionAsync(created.ActionId);

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Volumes.ResizeAsync(created.Volume.Id, 5));

        Assert.Equal(422, e.Status);
        Assert.Equal(["size_gigabytes"], e.Errors.Select(f => f.Field));
    }
}
