using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor tag …`: the account's tags (doctl's tag commands); apply and remove name resources as TYPE:ID.</summary>
public static class TagCommands
{
    const string ResourceHelp = "TYPE:ID, TYPE one of vm, image, volume, domain (a domain by its name); comma-separated or repeated";

    public static System.CommandLine.Command Build()
    {
        var list = Command("list", "list your tags with the count of what carries each", "cloudsfor tag list\ncloudsfor tag list --format Name,VMs").Does(async run =>
        {
            var tags = new List<Tag>();
            await foreach (var tag in run.Client.Tags.ListAsync(200, run.Cancel))
                tags.Add(tag);
            run.Out.List(tags, Columns.Tag, CliJson.Default.ListTag);
        });

        var getName = Id("name", "the tag's name");
        var get = Command("get", "show one tag", "cloudsfor tag get web\ncloudsfor tag get web -o json", getName).Does(async run =>
            run.Out.One(await run.Client.Tags.GetAsync(run.Get(getName), run.Cancel), Columns.Tag, CliJson.Default.Tag));

        var createName = Id("name", "letters, digits, ':', '-' and '_', up to 255 characters");
        var create = Command("create", "make a tag (tagging a VM with a new name makes it too)", "cloudsfor tag create env:prod", createName).Does(async run =>
            run.Out.One(await run.Client.Tags.CreateAsync(run.Get(createName), run.Cancel), Columns.Tag, CliJson.Default.Tag));

        var deleteName = Id("name", "the tag's name");
        var delete = Command("delete", "delete a tag: it comes off everything that carries it", "cloudsfor tag delete old", deleteName).Does(async run =>
        {
            await run.Client.Tags.DeleteAsync(run.Get(deleteName), run.Cancel);
            Console.Error.WriteLine($"Deleted tag {run.Get(deleteName)}");
        });

        return Group("tag", "tags of your VMs, images, volumes and domains", list, get, create, delete,
            Change("apply", "put a tag on resources (all or none)", tag: true),
            Change("remove", "take a tag off resources", tag: false));
    }

    static System.CommandLine.Command Change(string verb, string description, bool tag)
    {
        var name = Id("name", "the tag's name");
        var resources = Many("--resource", ResourceHelp, "TYPE:ID", "-r");
        return Command(verb, description, $"cloudsfor tag {verb} web --resource vm:5609f1ee1b0c4d2da622737b5ca25e6c --resource domain:example.com", name, resources)
            .Does(async run =>
            {
                var given = Split(run.Get(resources)) ?? throw new UsageException("give at least one --resource TYPE:ID");
                var items = given.Select(Resource).ToList();
                if (tag)
                    await run.Client.Tags.TagAsync(run.Get(name), items, run.Cancel);
                else
                    await run.Client.Tags.UntagAsync(run.Get(name), items, run.Cancel);
                Console.Error.WriteLine($"{(tag ? "Tagged" : "Untagged")} {items.Count} resource(s) {(tag ? "with" : "from")} {run.Get(name)}");
            });
    }

    static TagResource Resource(string text) => text.Split(':', 2) is [{ Length: > 0 } type, { Length: > 0 } id]
        ? new TagResource(id, type)
        : throw new UsageException($"'{text}' is not TYPE:ID ({ResourceHelp})");
}
