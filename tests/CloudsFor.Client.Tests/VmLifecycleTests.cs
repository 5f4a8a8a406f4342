using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

/// <summary>Every VM action through the client, one VM taken through its life, as a user of the library would.</summary>
public sealed class VmLifecycleTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Rename_resize_snapshot_and_rebuild_from_the_snapshot_change_the_vm_as_asked()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));
        await client.Actions.WaitForActionAsync(created.ActionId);
        var id = created.Vm.Id;
        var newName = Vms.UniqueName("renamed");

        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync((await client.VmActions.RenameAsync(id, newName)).Id)).Status);
        await client.Actions.WaitForActionAsync((await client.VmActions.PowerOffAsync(id)).Id);
        var resize = await client.Actions.WaitForActionAsync((await client.VmActions.ResizeAsync(id, "s-1vcpu-1gb", growDisk: true)).Id);
        var snapshot = await client.Actions.WaitForActionAsync((await client.VmActions.SnapshotAsync(id, "before-rebuild")).Id);

        Assert.Equal(ActionStatus.Completed, resize.Status);
        Assert.Equal(ActionStatus.Completed, snapshot.Status);
        var vm = await client.Vms.GetAsync(id);
        Assert.Equal(newName, vm.Name);
        Assert.Equal("s-1vcpu-1gb", vm.SizeSlug);
        Assert.Equal(1024, vm.Memory);
        Assert.Equal(25, vm.Disk);
        var image = Assert.Single(await client.Vms.ListSnapshotsAsync(id).ToListAsync());
        Assert.Equal("before-rebuild", image.Name);
        Assert.Equal("snapshot", image.Type);
        Assert.Equal(id, image.VmId);
        Assert.Equal([image.Id], vm.SnapshotIds);

        var rebuild = await client.Actions.WaitForActionAsync((await client.VmActions.RebuildAsync(id, image.Id)).Id);

        Assert.Equal(ActionStatus.Completed, rebuild.Status);
        Assert.Equal(image.Id, (await client.Vms.GetAsync(id)).Image!.Id);
        var types = await client.VmActions.ListAsync(id).Select(a => a.Type).ToListAsync();
        Assert.Equal(["create", "rename", "power_off", "resize", "snapshot", "rebuild"], types);
    }

    [Fact]
    public async Task The_console_of_a_started_vm_shows_the_drivers_ready_marker()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));
        await client.Actions.WaitForActionAsync(created.ActionId);

        var console = await client.Console.GetAsync(created.Vm.Id, lines: 20);

        Assert.Equal(created.Vm.Id, console.VmId);
        Assert.Equal(20, console.Lines);
        Assert.Contains("cloudsfor: ready", console.Output);
    }

    [Fact]
    public async Task A_tag_action_reaches_every_tagged_vm_and_a_tag_delete_removes_them()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];
        var made = await client.Vms.CreateManyAsync(new CreateVmsRequest([Vms.UniqueName(), Vms.UniqueName()], Vms.SmallSize, Vms.TinyImage) { Tags = [tag] });
        foreach (var actionId in made.ActionIds)
            await client.Actions.WaitForActionAsync(actionId);

        var actions = await client.VmActions.RunForTagAsync(tag, VmActionType.PowerOff);
        foreach (var action in actions)
            await client.Actions.WaitForActionAsync(action.Id);

        Assert.Equal(made.Vms.Select(v => v.Id).Order(), actions.Select(a => a.ResourceId).Order());
        Assert.All(await client.Vms.ListAsync(new VmFilter(TagName: tag)).ToListAsync(), vm => Assert.Equal(VmStatus.Off, vm.Status));

        await client.Vms.DeleteByTagAsync(tag);

        await Poll.Until(() => client.Vms.ListAsync(new VmFilter(TagName: tag)).CountAsync().AsTask(), n => n == 0, "the tagged VMs are gone");
    }
}
