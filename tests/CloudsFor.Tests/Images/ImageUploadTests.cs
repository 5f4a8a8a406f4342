using CloudsFor.Tests.Infrastructure;
using static CloudsFor.Tests.Images.ImageImportTests;

namespace CloudsFor.Tests.Images;

/// <summary>POST /images without a url, then PUT /images/{id}/file with the bytes: checked the same way as an import.</summary>
public sealed class ImageUploadTests(ImportServer fixture) : IClassFixture<ImportServer>
{
    ServerProcess Server => fixture.Server;

    static async Task<string> Waiting(TestUser user) =>
        (await user.Api.Post("/images", new { name = "upload", distribution = "Alpine" })).Expect(202)["image"].Str("id");

    [Fact]
    public async Task An_uploaded_qcow2_image_becomes_available()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        var accepted = (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(File.ReadAllBytes(fixture.Images.Qcow2)))).Expect(202)["image"];
        Assert.Equal(id, accepted.Str("id"));
        var image = await ImportServer.Settled(user.Api, id);
        Assert.Equal("available", image.Str("status"));
        Assert.Equal("Alpine", image.Str("distribution"));
        Assert.Equal(1, image.GetProperty("min_disk_size").GetInt32());
    }

    [Fact]
    public async Task An_uploaded_raw_disk_image_becomes_available()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(File.ReadAllBytes(fixture.Images.Raw)))).Expect(202);
        Assert.Equal("available", (await ImportServer.Settled(user.Api, id)).Str("status"));
    }

    [Fact]
    public async Task An_uploaded_image_with_a_backing_file_errors()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(File.ReadAllBytes(fixture.Images.WithBacking)))).Expect(202);
        var image = await ImportServer.Settled(user.Api, id);
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains("backing file", image.Str("error_message"));
    }

    [Fact]
    public async Task An_uploaded_file_that_is_no_disk_image_errors()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("plain text, no disk\n", 300)))))).Expect(202);
        Assert.Equal("errored", (await ImportServer.Settled(user.Api, id)).Str("status"));
    }

    [Fact]
    public async Task An_upload_over_the_cap_is_413()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        // As a careful client sends a large body: the answer comes before the bytes, so none are sent in vain.
        var expect = new Dictionary<string, string> { ["Expect"] = "100-continue" };
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(new byte[ImportServer.MaxBytes + 1]), expect)).ExpectError(413, "payload_too_large");
        Assert.Equal("new", (await user.Api.Get($"/images/{id}")).Expect(200)["image"].Str("status"));
    }

    [Fact]
    public async Task An_upload_without_a_length_over_the_cap_is_413_and_errors_the_image()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        var content = new StreamContent(new MemoryStream(new byte[ImportServer.MaxBytes + 1]));
        content.Headers.ContentType = new("application/octet-stream");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Put, user.Api.Url($"/images/{id}/file")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Authorization", user.Api.Authorization);
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("errored", (await ImportServer.Settled(user.Api, id)).Str("status"));
    }

    [Fact]
    public async Task An_upload_to_an_image_not_waiting_for_one_is_a_conflict()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(File.ReadAllBytes(fixture.Images.Raw)))).Expect(202);
        await ImportServer.Settled(user.Api, id);
        (await user.Api.SendContent(HttpMethod.Put, $"/images/{id}/file", Octets(File.ReadAllBytes(fixture.Images.Raw)))).ExpectError(409, "conflict");
        (await user.Api.SendContent(HttpMethod.Put, "/images/tiny/file", Octets([1]))).ExpectError(403, "forbidden");
    }

    [Fact]
    public async Task An_upload_must_be_octet_stream()
    {
        var user = await TestAccounts.Create(Server);
        var id = await Waiting(user);
        (await user.Api.Put($"/images/{id}/file", new { bytes = "no" })).ExpectError(415, "unsupported_media_type");
    }
}
