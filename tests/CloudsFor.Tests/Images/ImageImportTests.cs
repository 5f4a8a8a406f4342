using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Images;

/// <summary>POST /images with a url: the server downloads the file, checks it with qemu-img, and the image becomes available or errored.</summary>
public sealed class ImageImportTests(ImportServer fixture) : IClassFixture<ImportServer>
{
    ServerProcess Server => fixture.Server;

    async Task<System.Text.Json.JsonElement> Import(TestUser user, string path, byte[] bytes)
    {
        fixture.Files.Serve(path, bytes);
        var created = (await user.Api.Post("/images", new { name = "mine", url = fixture.Files.Url(path) })).Expect(202);
        var image = created["image"];
        Assert.Equal("new", image.Str("status"));
        Assert.Equal("custom", image.Str("type"));
        Assert.Equal($"/api/v1/images/{image.Str("id")}", created.Header("Location"));
        return await ImportServer.Settled(user.Api, image.Str("id"));
    }

    [Fact]
    public async Task A_qcow2_image_from_a_url_becomes_available_and_is_listed_as_custom()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/small.qcow2", File.ReadAllBytes(fixture.Images.Qcow2));
        Assert.Equal("available", image.Str("status"));
        Assert.Equal(1, image.GetProperty("min_disk_size").GetInt32());
        Assert.Equal("Unknown", image.Str("distribution"));
        Assert.False(image.GetProperty("public").GetBoolean());
        Assert.False(image.TryGetProperty("error_message", out _));
        var id = image.Str("id");
        Assert.Equal([id], (await user.Api.Get("/images?type=custom")).Expect(200)["images"].Ids());
        Assert.Equal([id], (await user.Api.Get("/images?private=true")).Expect(200)["images"].Ids());
        Assert.Empty((await user.Api.Get("/images?type=snapshot")).Expect(200)["images"].Ids());
        Assert.True(File.Exists(Path.Combine(Server.DataDir, "images", id, "disk.qcow2")));
    }

    [Fact]
    public async Task A_raw_disk_image_is_accepted()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/disk.raw", File.ReadAllBytes(fixture.Images.Raw));
        Assert.Equal("available", image.Str("status"));
    }

    [Fact]
    public async Task A_qcow2_image_with_a_backing_file_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/overlay.qcow2", File.ReadAllBytes(fixture.Images.WithBacking));
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("backing file", image.Str("error_message"));
        Assert.False(Directory.Exists(Path.Combine(Server.DataDir, "images", image.Str("id"))));
    }

    [Fact]
    public async Task A_file_that_is_no_disk_image_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/notes.txt", System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("#!/bin/sh\necho this is no disk\n", 200))));
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("neither a qcow2 image nor a raw disk image", image.Str("error_message"));
    }

    [Fact]
    public async Task A_file_over_the_cap_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/big.raw", new byte[ImportServer.MaxBytes + 1]);
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("--image-import-max-bytes", image.Str("error_message"));
    }

    [Fact]
    public async Task A_disk_larger_than_the_largest_size_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        var image = await Import(user, "/huge.qcow2", File.ReadAllBytes(fixture.Images.HugeDisk));
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("the largest size has", image.Str("error_message"));
    }

    [Fact]
    public async Task A_redirect_to_a_refused_address_errors_the_image()
    {
        var user = await TestAccounts.Create(Server);
        fixture.Files.Redirect("/moved.qcow2", "http://127.0.0.2:9/small.qcow2");
        var id = (await user.Api.Post("/images", new { name = "moved", url = fixture.Files.Url("/moved.qcow2") })).Expect(202)["image"].Str("id");
        var image = await ImportServer.Settled(user.Api, id);
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("refused to connect to 127.0.0.2", image.Str("error_message"));
    }

    [Fact]
    public async Task A_name_distribution_and_description_can_be_changed_and_the_image_deleted()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Import(user, "/rename.qcow2", File.ReadAllBytes(fixture.Images.Qcow2))).Str("id");
        var changed = (await user.Api.Put($"/images/{id}", new { name = "renamed", distribution = "Debian", description = "mine" })).Expect(200)["image"];
        Assert.Equal(("renamed", "Debian", "mine"), (changed.Str("name"), changed.Str("distribution"), changed.Str("description")));
        (await user.Api.Delete($"/images/{id}")).Expect(204);
        (await user.Api.Get($"/images/{id}")).ExpectError(404, "not_found");
        await Poll.Until(() => Task.FromResult(Directory.Exists(Path.Combine(Server.DataDir, "images", id))), gone => !gone, "the image's files removed");
    }

    [Fact]
    public async Task A_custom_image_a_vm_was_made_from_is_not_deleted_until_the_vm_is()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Import(user, "/in-use.qcow2", File.ReadAllBytes(fixture.Images.Qcow2))).Str("id");
        var vm = await Vms.CreateActive(user.Api, image: id);
        (await user.Api.Delete($"/images/{id}")).ExpectError(409, "conflict");
        (await user.Api.Delete($"/vms/{vm.Str("id")}")).Expect(204);
        (await user.Api.Delete($"/images/{id}")).Expect(204);
    }

    [Fact]
    public async Task A_vm_is_not_made_from_an_image_still_new()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await user.Api.Post("/images", new { name = "waiting" })).Expect(202)["image"].Str("id");
        var refused = await user.Api.Post("/vms", new { name = Vms.UniqueName(), size = Vms.SmallSize, image = id });
        refused.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["image"], refused.ErrorFields());
    }

    [Fact]
    public async Task Another_account_sees_no_custom_image()
    {
        var owner = await TestAccounts.Create(Server);
        var other = await TestAccounts.Create(Server);
        var id = (await owner.Api.Post("/images", new { name = "private" })).Expect(202)["image"].Str("id");
        (await other.Api.Get($"/images/{id}")).ExpectError(404, "not_found");
        (await other.Api.Put($"/images/{id}", new { name = "x" })).ExpectError(404, "not_found");
        (await other.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets([1, 2, 3]))).ExpectError(404, "not_found");
        (await other.Api.Delete($"/images/{id}")).ExpectError(404, "not_found");
        Assert.DoesNotContain(id, (await other.Api.Get("/images?type=custom")).Expect(200)["images"].Ids());
    }

    internal static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/octet-stream");
        return content;
    }
}
