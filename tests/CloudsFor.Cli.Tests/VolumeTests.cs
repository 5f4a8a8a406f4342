using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor volume`: create, attach to a VM by names, resize, detach and delete, each waiting with --wait.</summary>
public sealed class VolumeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_volume_is_created_attached_by_name_resized_detached_and_deleted()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        await home.Ok("vm", "create", "store-1", "--size", Vms.SmallSize, "--image", Vms.TinyImage, "--region", "fra1", "--wait");

        var created = JsonDocument.Parse((await home.Ok("volume", "create", "data-1", "--size", "10", "--region", "fra1", "--fs-type", "ext4",
            "--wait", "-o", "json")).Stdout).RootElement;
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("available", 10), (created.GetProperty("status").GetString(), created.GetProperty("size_gigabytes").GetInt32()));

        var attach = JsonDocument.Parse((await home.Ok("volume", "attach", "data-1", "store-1", "--wait", "-o", "json")).Stdout).RootElement;
        Assert.Equal(("attach", "completed"), (attach.GetProperty("type").GetString(), attach.GetProperty("status").GetString()));
        var vmId = (await user.Api.Get("/vms?name=store-1")).Expect(200)["vms"][0].Str("id");
        Assert.Equal([$"{id}\tdata-1\t10 GiB\tfra1\tavailable\t{vmId}"], (await home.Ok("volume", "list", "--no-header")).Lines);

        var refused = await home.Run("volume", "delete", "data-1");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("detach it before deleting it", refused.Stderr);

        await home.Ok("volume", "resize", "data-1", "--size", "20", "--wait");
        await home.Ok("volume", "detach", id, "--wait");
        Assert.Equal("20 GiB\t\n", (await home.Ok("volume", "get", "data-1", "--format", "Size,VMs", "--no-header")).Stdout);

        await home.Ok("volume", "delete", "data-1");
        (await user.Api.Get($"/volumes/{id}")).ExpectError(404, "not_found");
        Assert.Empty((await home.Ok("volume", "list", "--no-header")).Lines);
    }
}
