using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class TagTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_tag_is_created_applied_counted_removed_and_deleted()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var vm = (await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage))).Vm;
        var domain = await client.Domains.CreateAsync(new CreateDomainRequest(Domains.UniqueName()));

        var tag = await client.Tags.CreateAsync("web:front");
        Assert.Equal(new TagResources(0, null, new(0, null), new(0, null), new(0, null), new(0, null)), tag.Resources);
        await client.Tags.TagAsync("web:front", [new TagResource(vm.Id, "vm"), new TagResource(domain.Name, "domain")]);

        var counted = await client.Tags.GetAsync("web:front");
        Assert.Equal((2L, 1L, 1L, $"/api/v1/vms/{vm.Id}"), (counted.Resources.Count, counted.Resources.Vms.Count, counted.Resources.Domains.Count, counted.Resources.Vms.LastTaggedUri));
        Assert.Equal(["web:front"], (await client.Vms.GetAsync(vm.Id)).Tags);
        Assert.Equal([counted], await client.Tags.ListAsync().ToListAsync());
        Assert.Equal(1, (await client.Tags.GetPageAsync(perPage: 1)).Total);

        await client.Tags.UntagAsync("web:front", [new TagResource(vm.Id, "vm")]);
        Assert.Equal(1, (await client.Tags.GetAsync("web:front")).Resources.Count);
        await client.Tags.DeleteAsync("web:front");
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.Tags.GetAsync("web:front"))).Status);
    }

    [Fact]
    public async Task Tagging_another_accounts_vm_is_a_422_on_resources()
    {
        var (_, alice) = await Clients.NewUser(shared.Server);
        var (_, bob) = await Clients.NewUser(shared.Server);
        using var a = alice;
        using var b = bob;
        var bobs = (await bob.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage))).Vm;
        await alice.Tags.CreateAsync("mine");

        var e = await Assert.ThrowsAsync<ApiException>(() => alice.Tags.TagAsync("mine", [new TagResource(bobs.Id, "vm")]));

        Assert.Equal(422, e.Status);
        Assert.Equal(["resources"], e.Errors.Select(f => f.Field));
        Assert.Empty((await bob.Vms.GetAsync(bobs.Id)).Tags);
    }

    [Fact]
    public async Task Volumes_images_and_domains_are_listed_by_tag_name_and_show_their_tags()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var volume = (await client.Volumes.CreateAsync(new CreateVolumeRequest(VolumeKit.UniqueName(), 10, "fra1") { Tags = ["keep"] })).Volume;
        await client.Volumes.CreateAsync(new CreateVolumeRequest(VolumeKit.UniqueName(), 10, "fra1"));
        var image = await client.Images.CreateForUploadAsync("tagged", tags: ["keep"]);
        await client.Images.CreateForUploadAsync("untagged");
        var domain = await client.Domains.CreateAsync(new CreateDomainRequest(Domains.UniqueName()));
        await client.Domains.CreateAsync(new CreateDomainRequest(Domains.UniqueName()));
        await client.Tags.TagAsync("keep", [new TagResource(domain.Name, "domain")]);

        Assert.Equal([volume.Id], await client.Volumes.ListAsync(tagName: "keep").Select(v => v.Id).ToListAsync());
        Assert.Equal(1, (await client.Volumes.GetPageAsync(tagName: "keep")).Total);
        var images = await client.Images.ListAsync(tagName: "keep").ToListAsync();
        Assert.Equal([(image.Id, "keep")], images.Select(i => (i.Id, i.Tags.Single())));
        Assert.Equal(1, (await client.Images.GetPageAsync(tagName: "keep")).Total);
        var domains = await client.Domains.ListAsync(tagName: "keep").ToListAsync();
        Assert.Equal([(domain.Name, "keep")], domains.Select(d => (d.Name, d.Tags.Single())));
        Assert.Equal(1, (await client.Domains.GetPageAsync(tagName: "keep")).Total);
        Assert.Equal(3, (await client.Tags.GetAsync("keep")).Resources.Count);
    }
}
