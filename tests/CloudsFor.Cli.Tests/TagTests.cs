using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor tag`: create, apply to a VM and a domain as TYPE:ID, list with counts, remove, delete.</summary>
public sealed class TagTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_tag_is_created_applied_listed_with_counts_removed_and_deleted()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var vm = await Vms.Create(user.Api);
        var domain = await Domains.Create(user.Api);

        Assert.Equal(["Name\tCount\tVMs\tImages\tVolumes\tDomains", "web\t0\t0\t0\t0\t0"], (await home.Ok("tag", "create", "web")).Lines);
        var applied = await home.Ok("tag", "apply", "web", "--resource", $"vm:{vm.Id}", "-r", $"domain:{domain}");
        Assert.Equal("", applied.Stdout);
        Assert.Equal(["Name\tCount\tVMs\tImages\tVolumes\tDomains", "web\t2\t1\t0\t0\t1"], (await home.Ok("tag", "list")).Lines);
        var shown = JsonDocument.Parse((await home.Ok("tag", "get", "web", "-o", "json")).Stdout).RootElement;
        Assert.Equal($"/api/v1/vms/{vm.Id}", shown.GetProperty("resources").GetProperty("vms").GetProperty("last_tagged_uri").GetString());

        await home.Ok("tag", "remove", "web", "--resource", $"vm:{vm.Id},domain:{domain}");
        Assert.Equal("0\n", (await home.Ok("tag", "get", "web", "--format", "Count", "--no-header")).Stdout);
        await home.Ok("tag", "delete", "web");
        (await user.Api.Get("/tags/web")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task A_resource_not_written_as_TYPE_ID_exits_2_and_another_accounts_vm_exits_1()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        await home.Ok("tag", "create", "t");
        var bob = await TestAccounts.Create(shared.Server);
        var bobs = await Vms.Create(bob.Api);

        var usage = await home.Run("tag", "apply", "t", "--resource", bobs.Id);
        Assert.True(usage.ExitCode == 2, usage.ToString());
        var refused = await home.Run("tag", "apply", "t", "--resource", $"vm:{bobs.Id}");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"is not one of your vms", refused.Stderr);
    }

    [Fact]
    public async Task Volumes_images_and_domains_are_listed_by_tag_name()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var (volume, _) = await VolumeKit.Create(user.Api, tags: ["keep"]);
        await VolumeKit.Create(user.Api);
        var image = (await user.Api.Post("/images", new { name = "tagged", tags = new[] { "keep" } })).Expect(202)["image"].Str("id");
        await user.Api.Post("/images", new { name = "untagged" });
        var domain = await Domains.Create(user.Api);
        await Domains.Create(user.Api);
        await home.Ok("tag", "apply", "keep", "--resource", $"domain:{domain}");

        Assert.Equal([volume.Str("id")], (await home.Ok("volume", "list", "--tag-name", "keep", "--format", "ID", "--no-header")).Lines);
        Assert.Equal([image], (await home.Ok("image", "list", "--tag-name", "keep", "--format", "ID", "--no-header")).Lines);
        Assert.Equal([domain], (await home.Ok("domain", "list", "--tag-name", "keep", "--format", "Name", "--no-header")).Lines);
        Assert.Equal(["keep\t3\t0\t1\t1\t1"], (await home.Ok("tag", "list", "--no-header")).Lines);
    }
}
