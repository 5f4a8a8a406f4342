using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Images;

/// <summary>A server that may download from 127.0.0.1 (and only there among the refused ranges), with a small cap on image files.</summary>
public sealed class ImportServer : IAsyncLifetime
{
    public const int MaxBytes = 3_000_000;

    public static readonly string[] Settings =
        [.. SharedServer.Settings, "--image-import-allow", "127.0.0.1/32", "--image-import-max-bytes", MaxBytes.ToString()];

    public ServerProcess Server { get; private set; } = null!;
    public FileServer Files { get; } = new();
    public ImageFiles Images { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Images = await ImageFiles.Make();
        Server = await ServerProcess.StartAsync(Settings);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        Files.Dispose();
        Images.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Waits until the image is no longer new, and returns it.</summary>
    public static async Task<System.Text.Json.JsonElement> Settled(ApiClient api, string imageId) =>
        (await Poll.Until(() => api.Get($"/images/{imageId}"), r => r.Status != 200 || r["image"].Str("status") != "new", $"image {imageId} settled"))
        .Expect(200)["image"];
}
