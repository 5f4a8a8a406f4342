using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Images;

/// <summary>An accepted import is a durable job: a server killed in the middle of the download starts it again when it comes back.</summary>
public sealed class ImportRestartTests
{
    [Fact]
    public async Task An_import_cut_off_by_a_crash_completes_after_the_restart()
    {
        using var images = await ImageFiles.Make();
        using var files = new FileServer();
        var raw = Path.Combine(Path.GetDirectoryName(images.Raw)!, "slow.raw");
        images.WriteRaw(2 << 20, raw);
        files.Serve("/slow.raw", File.ReadAllBytes(raw), pauseEvery64KiB: TimeSpan.FromMilliseconds(150));
        using var server = await ServerProcess.StartAsync(ImportServer.Settings);
        var user = await TestAccounts.Create(server);
        var id = (await user.Api.Post("/images", new { name = "slow", url = files.Url("/slow.raw") })).Expect(202)["image"].Str("id");

        var moving = await Poll.Until(() => user.Api.Get($"/images/{id}"),
            r => r["image"].TryGetProperty("import", out var p) && p.GetProperty("bytes_done").GetInt64() > 0, "the download under way");
        Assert.Equal(2 << 20, moving["image"].GetProperty("import").GetProperty("bytes_total").GetInt64());
        await server.RestartAsync();

        var image = await ImportServer.Settled(user.Api, id);
        Assert.Equal("available", image.Str("status"));
        Assert.Equal(2, files.Hits["/slow.raw"]);
    }
}
