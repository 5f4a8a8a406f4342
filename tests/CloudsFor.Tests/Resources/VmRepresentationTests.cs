using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// The server keeps each VM's rendered JSON while the VM's version in the store stays the same. Every change a VM
/// shows must move that version: its row, its tags, its snapshots and its image (a snapshot renamed after the VM was
/// rebuilt from it). Each test reads the VM first, so a rendering is kept, then changes it and reads it again, alone
/// and in a page.
/// </summary>
public sealed class VmRepresentationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static async Task<(JsonElement Vm, string ETag)> Read(ApiClient api, string id)
    {
        var r = (await api.Get($"/vms/{id}")).Expect(200);
        return (r["vm"], r.Header("ETag")!);
    }

    static async Task<JsonElement> InPage(ApiClient api, string id) =>
        (await api.Get("/vms?per_page=200")).Expect(200)["vms"].EnumerateArray().Single(v => v.Str("id") == id);

    [Fact]
    public async Task A_rename_shows_at_once_alone_and_in_pages_with_a_new_ETag()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        var (before, etag) = await Read(user.Api, id);
        Assert.Equal(before.GetRawText(), (await InPage(user.Api, id)).GetRawText());
        Assert.Equal(etag, (await Read(user.Api, id)).ETag);

        (await user.Api.Put($"/vms/{id}", new { name = "renamed-vm" })).Expect(200);
        var (after, newEtag) = await Read(user.Api, id);
        Assert.Equal("renamed-vm", after.Str("name"));
        Assert.Equal("renamed-vm", (await InPage(user.Api, id)).Str("name"));
        Assert.NotEqual(etag, newEtag);
        (await user.Api.Get($"/vms/{id}", new Dictionary<string, string> { ["If-None-Match"] = etag })).Expect(200);
        (await user.Api.Get($"/vms/{id}", new Dictionary<string, string> { ["If-None-Match"] = newEtag })).Expect(304);
    }

    [Fact]
    public async Task Tags_set_and_cleared_show_at_once()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api)).Str("id");
        await Read(user.Api, id);
        await InPage(user.Api, id);

        (await user.Api.Put($"/vms/{id}", new { tags = new[] { "blue", "green" } })).Expect(200);
        Assert.Equal(["blue", "green"], (await Read(user.Api, id)).Vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["blue", "green"], (await InPage(user.Api, id)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        (await user.Api.Put($"/vms/{id}", new { tags = Array.Empty<string>() })).Expect(200);
        Assert.Equal(0, (await Read(user.Api, id)).Vm.GetProperty("tags").GetArrayLength());
        Assert.Equal(0, (await InPage(user.Api, id)).GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task Status_lock_snapshots_and_a_renamed_image_show_at_once()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, size: "s-1vcpu-1gb")).Str("id");
        await Read(user.Api, id);

        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        var off = (await Read(user.Api, id)).Vm;
        Assert.Equal("off", off.Status());
        Assert.False(off.GetProperty("locked").GetBoolean());
        Assert.Equal("off", (await InPage(user.Api, id)).Status());

        await Vms.RunCompleted(user.Api, id, new { type = "snapshot", name = "golden" });
        var snapshotId = (await user.Api.Get($"/vms/{id}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        Assert.Equal([snapshotId], (await Read(user.Api, id)).Vm.GetProperty("snapshot_ids").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([snapshotId], (await InPage(user.Api, id)).GetProperty("snapshot_ids").EnumerateArray().Select(s => s.GetString()));

        await Vms.RunCompleted(user.Api, id, new { type = "rebuild", image = snapshotId });
        Assert.Equal("golden", (await Read(user.Api, id)).Vm.GetProperty("image").Str("name"));
        Assert.Equal("golden", (await InPage(user.Api, id)).GetProperty("image").Str("name"));

        (await user.Api.Put($"/images/{snapshotId}", new { name = "silver" })).Expect(200);
        Assert.Equal("silver", (await Read(user.Api, id)).Vm.GetProperty("image").Str("name"));
        Assert.Equal("silver", (await InPage(user.Api, id)).GetProperty("image").Str("name"));
    }
}
