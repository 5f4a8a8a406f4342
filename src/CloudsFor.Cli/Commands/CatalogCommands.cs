using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor image|size|region …`: what VMs are made from and where.</summary>
public static class CatalogCommands
{
    public static Command Images()
    {
        var type = Text("--type", "only images of this type: distribution, snapshot or custom", "TYPE");
        var own = Switch("--private", "only the account's own images (snapshots)");
        var tag = Text("--tag-name", "only images with this tag", "TAG");
        var list = Command("list", "list the images: the distributions and your snapshots",
                "cloudsfor image list\ncloudsfor image list --private\ncloudsfor image list --tag-name golden", type, own, tag)
            .Does(async run =>
            {
                var images = new List<Image>();
                await foreach (var image in run.Client.Images.ListAsync(run.Get(type), run.Get(own) ? true : null, 200, run.Get(tag), run.Cancel))
                    images.Add(image);
                run.Out.List(images, Columns.Image, CliJson.Default.ListImage);
            });

        var getId = Id("image", "the image's id or slug");
        var get = Command("get", "show one image", "cloudsfor image get debian-12", getId).Does(async run =>
            run.Out.One(await run.Client.Images.GetAsync(run.Get(getId), run.Cancel), Columns.Image, CliJson.Default.Image));

        var updateId = Id("image", "the id of one of your images");
        var name = Text("--name", "the new name", "NAME");
        var description = Text("--description", "the new description", "TEXT");
        var update = Command("update", "rename one of your images or set its description",
            "cloudsfor image update 9c1e… --name web-golden --description \"web server, patched\"", updateId, name, description).Does(async run =>
        {
            if (run.Get(name) is null && run.Get(description) is null)
                throw new UsageException("give --name and/or --description");
            var image = await run.Client.Images.UpdateAsync(run.Get(updateId), new UpdateImageRequest(run.Get(name), run.Get(description)), run.Cancel);
            run.Out.One(image, Columns.Image, CliJson.Default.Image);
        });

        var deleteId = Id("image", "the id of one of your images");
        var delete = Command("delete", "delete one of your images", "cloudsfor image delete 9c1e…", deleteId).Does(async run =>
        {
            await run.Client.Images.DeleteAsync(run.Get(deleteId), run.Cancel);
            Console.Error.WriteLine($"Deleted image {run.Get(deleteId)}");
        });
        return Group("image", "images: distributions to create VMs from, snapshots of your VMs, and custom images you bring",
            list, get, Import(), Upload(), update, delete);
    }

    static Command Import()
    {
        var url = Id("url", "where the server downloads the image from (http or https): a qcow2, or a raw disk with a partition table");
        return CustomImage("import", "bring a custom image the server downloads; with --wait, return once it is available",
            "cloudsfor image import https://example.com/alpine.qcow2 --name alpine-3.20 --distribution Alpine --wait", url,
            (run, name, distribution, description) =>
                run.Client.Images.ImportAsync(name, run.Get(url), distribution, description, cancellationToken: run.Cancel));
    }

    static Command Upload()
    {
        var file = Id("file", "the image file: a qcow2, or a raw disk with a partition table");
        return CustomImage("upload", "bring a custom image from a file here; with --wait, return once it is available",
            "cloudsfor image upload ./alpine.qcow2 --name alpine-3.20 --wait", file, async (run, name, distribution, description) =>
            {
                var path = run.Get(file);
                if (!File.Exists(path))
                    throw new UsageException($"no file {path}");
                var image = await run.Client.Images.CreateForUploadAsync(name, distribution, description, cancellationToken: run.Cancel);
                return await Uploader.Send(run, image.Id, path);
            });
    }

    /// <summary>The options and the end both ways of bringing an image share: its name, distribution and description; --wait; the image shown.</summary>
    static Command CustomImage(string verb, string help, string example, Argument<string> source,
        Func<Invocation, string, string?, string?, Task<Image>> bring)
    {
        var name = Text("--name", "the image's name", "NAME");
        var distribution = Text("--distribution", "what it is, e.g. Alpine (default Unknown)", "NAME");
        var description = Text("--description", "a description", "TEXT");
        return Command(verb, help, example, source, name, distribution, description, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            var given = run.Get(name) ?? throw new UsageException("give the image a --name");
            var image = await bring(run, given, run.Get(distribution), run.Get(description));
            if (run.Wait)
                image = await Waiter.ForImage(run, image.Id);
            run.Out.One(image, Columns.Image, CliJson.Default.Image);
        });
    }

    public static Command Sizes()
    {
        var list = Command("list", "list the sizes (memory in MiB, disk in GiB)", "cloudsfor size list").Does(async run =>
        {
            var sizes = new List<Size>();
            await foreach (var size in run.Client.Sizes.ListAsync(200, run.Cancel))
                sizes.Add(size);
            run.Out.List(sizes, Columns.Size, CliJson.Default.ListSize);
        });
        var slug = Id("size", "the size's slug");
        var get = Command("get", "show one size", "cloudsfor size get s-1vcpu-1gb", slug).Does(async run =>
            run.Out.One(await run.Client.Sizes.GetAsync(run.Get(slug), run.Cancel), Columns.Size, CliJson.Default.Size));
        return Group("size", "sizes: how much CPU, memory and disk a VM gets", list, get);
    }

    public static Command Regions()
    {
        var list = Command("list", "list the regions", "cloudsfor region list").Does(async run =>
        {
            var regions = new List<Region>();
            await foreach (var region in run.Client.Regions.ListAsync(200, run.Cancel))
                regions.Add(region);
            run.Out.List(regions, Columns.Region, CliJson.Default.ListRegion);
        });
        var slug = Id("region", "the region's slug");
        var get = Command("get", "show one region", "cloudsfor region get fra1 --format Slug,VCPUs,Memory,Disk", slug).Does(async run =>
            run.Out.One(await run.Client.Regions.GetAsync(run.Get(slug), run.Cancel), Columns.Region, CliJson.Default.Region));
        return Group("region", "regions: where VMs run", list, get);
    }
}
