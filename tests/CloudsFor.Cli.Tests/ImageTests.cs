using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Images;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor image import|upload`: custom images against a server allowed to download from 127.0.0.1.</summary>
public sealed class ImageTests(ImportServer fixture) : IClassFixture<ImportServer>
{
    [Fact]
    public async Task Upload_with_wait_streams_the_file_and_prints_the_available_image()
    {
        using var home = new CliHome(fixture.Server);
        await home.Login();

        var result = await home.Ok("image", "upload", fixture.Images.Qcow2, "--name", "uploaded", "--distribution", "Alpine", "--wait", "-o", "json");
        var image = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(("uploaded", "Alpine", "available", 1), (image.GetProperty("name").GetString(), image.GetProperty("distribution").GetString(),
            image.GetProperty("status").GetString(), image.GetProperty("min_disk_size").GetInt32()));
        Assert.Equal("", result.Stderr); // not a terminal: no progress bar, no spinner

        var id = image.GetProperty("id").GetString()!;
        Assert.Equal([$"{id}\tavailable"], (await home.Ok("image", "list", "--type", "custom", "--format", "ID,Status", "--no-header")).Lines);
    }

    [Fact]
    public async Task Import_with_wait_prints_the_available_image_and_an_errored_one_exits_1_with_its_error_message()
    {
        using var home = new CliHome(fixture.Server);
        await home.Login();
        fixture.Files.Serve("/cli.qcow2", File.ReadAllBytes(fixture.Images.Qcow2));
        fixture.Files.Serve("/cli-overlay.qcow2", File.ReadAllBytes(fixture.Images.WithBacking));

        var result = await home.Ok("image", "import", fixture.Files.Url("/cli.qcow2"), "--name", "imported", "--wait", "--format", "Name,Type,Status", "--no-header");
        Assert.Equal(["imported\tcustom\tavailable"], result.Lines);

        var errored = await home.Run("image", "import", fixture.Files.Url("/cli-overlay.qcow2"), "--name", "overlay", "--wait");
        Assert.Equal(1, errored.ExitCode);
        Assert.Contains("errored", errored.Stderr);
        Assert.Contains("backing file", errored.Stderr);
    }

    [Fact]
    public async Task Upload_without_a_name_or_of_a_missing_file_exits_2()
    {
        using var home = new CliHome(fixture.Server);
        await home.Login();

        Assert.Equal(2, (await home.Run("image", "upload", fixture.Images.Qcow2)).ExitCode);
        Assert.Equal(2, (await home.Run("image", "upload", Path.Combine(home.Home, "none.qcow2"), "--name", "x")).ExitCode);
    }
}
