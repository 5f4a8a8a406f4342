using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor volume snapshot`, `cloudsfor snapshot list|get|delete` and `volume create --snapshot`.</summary>
public sealed class SnapshotTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_volume_is_snapshotted_listed_copied_and_the_snapshot_deleted()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        await home.Ok("volume", "create", "data-1", "--size", "10", "--region", "fra1", "--fs-type", "ext4", "--fs-label", "data", "--wait");

        var snapshot = JsonDocument.Parse((await home.Ok("volume", "snapshot", "data-1", "--name", "nightly", "--tag-names", "keep", "--wait", "-o", "json")).Stdout).RootElement;
        var id = snapshot.GetProperty("id").GetString()!;
        Assert.Equal(("available", "volume", 0.4), (snapshot.GetProperty("status").GetString(), snapshot.GetProperty("resource_type").GetString(),
            snapshot.GetProperty("size_gigabytes").GetDouble()));
        Assert.Equal([$"{id}\tnightly\tvolume\t0.4 GiB\tavailable"], (await home.Ok("snapshot", "list", "--no-header")).Lines);
        Assert.Empty((await home.Ok("snapshot", "list", "--resource-type", "vm", "--no-header")).Lines);
        Assert.Equal("nightly\tkeep\n", (await home.Ok("snapshot", "get", id, "--format", "Name,Tags", "--no-header")).Stdout);

        var copy = JsonDocument.Parse((await home.Ok("volume", "create", "restored", "--size", "12", "--snapshot", id, "--wait", "-o", "json")).Stdout).RootElement;
        Assert.Equal(("available", "fra1", "ext4", "data"), (copy.GetProperty("status").GetString(), copy.GetProperty("region_slug").GetString(),
            copy.GetProperty("filesystem_type").GetString(), copy.GetProperty("filesystem_label").GetString()));
        var neither = await home.Run("volume", "create", "lost", "--size", "1");
        Assert.True(neither.ExitCode == 2, neither.ToString());
        Assert.Contains("--region", neither.Stderr);

        await home.Ok("snapshot", "delete", id);
        (await user.Api.Get($"/snapshots/{id}")).ExpectError(404, "not_found");
        var gone = await home.Run("snapshot", "get", id);
        Assert.True(gone.ExitCode == 1, gone.ToString());
    }
}
