using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Volumes;

/// <summary>Attach, detach and resize: actions on the volume, seen on the volume (vm_ids) and on the VM (volume_ids).</summary>
public sealed class VolumeActionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Attach_and_detach_show_on_the_volume_and_the_vm()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api);
        var vmId = vm.Str("id");
        var volume = await VolumeKit.CreateAvailable(user.Api);
        var id = volume.Str("id");

        var attach = await VolumeKit.RunCompleted(user.Api, id, new { type = "attach", vm_id = vmId });
        Assert.Equal(("attach", "volume", id, "fra1"), (attach.Str("type"), attach.Str("resource_type"), attach.Str("resource_id"), attach.Str("region")));
        Assert.Equal([vmId], (await VolumeKit.Get(user.Api, id)).GetProperty("vm_ids").Strings());
        Assert.Equal([id], (await Vms.Get(user.Api, vmId)).GetProperty("volume_ids").Strings());
        (await user.Api.Delete($"/volumes/{id}")).ExpectError(409, "conflict");
        Assert.Equal(["vm_id"], (await user.Api.Post($"/volumes/{id}/actions", new { type = "attach", vm_id = vmId })).ExpectError(422, "unprocessable_entity").ErrorFields());

        await VolumeKit.RunCompleted(user.Api, id, new { type = "detach", vm_id = vmId });
        Assert.Empty((await VolumeKit.Get(user.Api, id)).GetProperty("vm_ids").EnumerateArray());
        Assert.Empty((await Vms.Get(user.Api, vmId)).GetProperty("volume_ids").EnumerateArray());
        Assert.Equal(["type"], (await user.Api.Post($"/volumes/{id}/actions", new { type = "detach" })).ExpectError(422, "unprocessable_entity").ErrorFields());
        (await user.Api.Delete($"/volumes/{id}")).Expect(204);
    }

    [Fact]
    public async Task Actions_by_name_and_region_find_the_volume()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api, region: "nyc1");
        var volume = await VolumeKit.CreateAvailable(user.Api, region: "nyc1");
        var name = volume.Str("name");

        var started = (await user.Api.Post("/volumes/actions", new { type = "attach", volume_name = name, region = "nyc1", vm_id = vm.Str("id") })).Expect(201);
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, started["action"].Str("id"))).Status());
        Assert.Equal([vm.Str("id")], (await VolumeKit.Get(user.Api, volume.Str("id"))).GetProperty("vm_ids").Strings());
        (await user.Api.Post("/volumes/actions", new { type = "detach", volume_name = name, region = "fra1" })).ExpectError(404, "not_found");
        Assert.Equal(["region"], (await user.Api.Post("/volumes/actions", new { type = "detach", volume_name = name })).ExpectError(422, "unprocessable_entity").ErrorFields());
    }

    [Fact]
    public async Task A_volume_attaches_only_to_a_vm_of_its_region_and_of_its_account()
    {
        var user = await TestAccounts.Create(Server);
        var other = await TestAccounts.Create(Server);
        var nycVm = await Vms.CreateActive(user.Api, region: "nyc1");
        var othersVm = await Vms.CreateActive(other.Api);
        var volume = await VolumeKit.CreateAvailable(user.Api);

        var wrongRegion = (await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "attach", vm_id = nycVm.Str("id") }))
            .ExpectError(422, "unprocessable_entity");
        Assert.Equal(["vm_id"], wrongRegion.ErrorFields());
        Assert.Contains("only to a VM in its region", wrongRegion.Text);
        Assert.Equal(["vm_id"], (await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "attach", vm_id = othersVm.Str("id") }))
            .ExpectError(422, "unprocessable_entity").ErrorFields());
        Assert.Equal(["vm_id"], (await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "attach" }))
            .ExpectError(422, "unprocessable_entity").ErrorFields());
        Assert.Equal(["type"], (await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "snapshot" }))
            .ExpectError(422, "unprocessable_entity").ErrorFields());
    }

    [Fact]
    public async Task A_vm_takes_at_most_seven_volumes()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api);
        var volumes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => VolumeKit.CreateAvailable(user.Api, size: 1)));
        // Accepted at once, the seven count before any attach ran: the limit holds for attaches in flight too.
        var started = new List<string>();
        foreach (var volume in volumes.Take(7))
            started.Add((await user.Api.Post($"/volumes/{volume.Str("id")}/actions", new { type = "attach", vm_id = vm.Str("id") })).Expect(201)["action"].Str("id"));
        var eighth = (await user.Api.Post($"/volumes/{volumes[7].Str("id")}/actions", new { type = "attach", vm_id = vm.Str("id") }))
            .ExpectError(422, "unprocessable_entity");
        Assert.Contains("7 volumes attached", eighth.Text);
        foreach (var actionId in started)
            Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
        Assert.Equal(7, (await Vms.Get(user.Api, vm.Str("id"))).GetProperty("volume_ids").GetArrayLength());
    }

    [Fact]
    public async Task A_volume_grows_but_never_shrinks()
    {
        var user = await TestAccounts.Create(Server);
        var volume = await VolumeKit.CreateAvailable(user.Api, size: 10);
        var id = volume.Str("id");
        await VolumeKit.RunCompleted(user.Api, id, new { type = "resize", size_gigabytes = 15 });
        Assert.Equal(15, (await VolumeKit.Get(user.Api, id)).GetProperty("size_gigabytes").GetInt32());
        foreach (var size in new[] { 15, 5 })
            Assert.Equal(["size_gigabytes"], (await user.Api.Post($"/volumes/{id}/actions", new { type = "resize", size_gigabytes = size }))
                .ExpectError(422, "unprocessable_entity").ErrorFields());
        Assert.Equal(15, (await user.Api.Get("/account")).Expect(200)["account"].GetProperty("usage").GetProperty("volume_gigabytes").GetInt32());
    }

    [Fact]
    public async Task A_deleted_vm_leaves_its_volumes_detached()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api);
        var volume = await VolumeKit.CreateAvailable(user.Api);
        var id = volume.Str("id");
        await VolumeKit.RunCompleted(user.Api, id, new { type = "attach", vm_id = vm.Str("id") });
        (await user.Api.Delete($"/vms/{vm.Str("id")}")).Expect(204);
        await Poll.Until(() => VolumeKit.Get(user.Api, id), v => v.GetProperty("vm_ids").GetArrayLength() == 0, "the volume detached from the deleted VM");
        var other = await Vms.CreateActive(user.Api);
        await VolumeKit.RunCompleted(user.Api, id, new { type = "attach", vm_id = other.Str("id") });
    }

    [Fact]
    public async Task Volume_changes_are_events_with_the_volume_as_it_became()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api);
        using var stream = await EventStream.Open(user.Api, "?resource_type=volume");
        var volume = await VolumeKit.CreateAvailable(user.Api);
        var id = volume.Str("id");
        await VolumeKit.RunCompleted(user.Api, id, new { type = "attach", vm_id = vm.Str("id") });
        await VolumeKit.RunCompleted(user.Api, id, new { type = "detach" });
        (await user.Api.Delete($"/volumes/{id}")).Expect(204);

        var events = await stream.Until(e => e.Event == "volume.deleted");
        Assert.Equal(["volume.created", "volume.updated", "volume.updated", "volume.updated", "volume.deleted"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal(id, e.Json.Str("resource_id")));
        Assert.Equal(["creating", "available", "available", "available"], events.Take(4).Select(e => e.Json.GetProperty("resource").Status()));
        Assert.Equal([0, 0, 1, 0], events.Take(4).Select(e => e.Json.GetProperty("resource").GetProperty("vm_ids").GetArrayLength()));
    }
}
