using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Images;

namespace CloudsFor.Client.Tests;

/// <summary>Custom images through the client: imported from a URL on 127.0.0.1 (the fixture's server allows it) or uploaded from a stream.</summary>
public sealed class ImageTests(ImportServer fixture) : IClassFixture<ImportServer>
{
    [Fact]
    public async Task An_image_imported_from_a_url_becomes_available()
    {
        var (_, client) = await Clients.NewUser(fixture.Server);
        using var _ = client;
        fixture.Files.Serve("/client.qcow2", File.ReadAllBytes(fixture.Images.Qcow2));

        var created = await client.Images.ImportAsync("imported", fixture.Files.Url("/client.qcow2"), distribution: "Alpine", description: "from a url");
        Assert.Equal((ImageStatus.New, "custom", "Alpine", "from a url"), (created.Status, created.Type, created.Distribution, created.Description));

        var image = await client.Images.WaitForImageAsync(created.Id);
        Assert.Equal((ImageStatus.Available, 1, null), (image.Status, image.MinDiskSize, image.ErrorMessage));
        Assert.Null(image.Import);
        Assert.Equal([image.Id], await client.Images.ListAsync(type: "custom").Select(i => i.Id).ToListAsync());
    }

    [Fact]
    public async Task An_uploaded_qcow2_streams_with_progress_and_becomes_available()
    {
        var (_, client) = await Clients.NewUser(fixture.Server);
        using var _ = client;
        var created = await client.Images.CreateForUploadAsync("uploaded");
        Assert.Equal(ImageStatus.New, created.Status);

        var sent = new List<long>();
        await using (var file = File.OpenRead(fixture.Images.Qcow2))
            await client.Images.UploadAsync(created.Id, file, new SyncProgress(sent.Add));
        Assert.Equal(new FileInfo(fixture.Images.Qcow2).Length, sent[^1]);

        var image = await client.Images.WaitForImageAsync(created.Id);
        Assert.Equal((ImageStatus.Available, 1), (image.Status, image.MinDiskSize));
    }

    [Fact]
    public async Task An_image_that_errors_ends_the_wait_with_its_error_message()
    {
        var (_, client) = await Clients.NewUser(fixture.Server);
        using var _ = client;
        var created = await client.Images.CreateForUploadAsync("overlay");
        await using (var file = File.OpenRead(fixture.Images.WithBacking))
            await client.Images.UploadAsync(created.Id, file);

        var e = await Assert.ThrowsAsync<WaitFailedException>(() => client.Images.WaitForImageAsync(created.Id));
        Assert.Equal(ImageStatus.Errored, e.Image!.Status);
        Assert.Contains("backing file", e.Image.ErrorMessage);
        Assert.Contains(e.Image.ErrorMessage!, e.Message);
    }

    [Fact]
    public async Task An_upload_over_the_servers_cap_is_a_413_and_the_image_stays_new()
    {
        var (_, client) = await Clients.NewUser(fixture.Server);
        using var _ = client;
        var created = await client.Images.CreateForUploadAsync("too big");

        using var big = new MemoryStream(new byte[ImportServer.MaxBytes + 1]);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.Images.UploadAsync(created.Id, big));
        Assert.Equal((413, "payload_too_large"), (e.Status, e.Id));
        Assert.Equal(ImageStatus.New, (await client.Images.GetAsync(created.Id)).Status);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records in order, as the bytes go.</summary>
    sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
