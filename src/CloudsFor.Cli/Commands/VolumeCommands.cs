using System.CommandLine;
using System.Text.RegularExpressions;
using CloudsFor.Cli.Output;
using CloudsFor.Client;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor volume …`: block storage volumes and their attach, detach and resize actions (doctl's volume and volume-action).</summary>
public static partial class VolumeCommands
{
    const string VolumeHelp = "the volume's id or name";

    public static Command Build()
    {
        var region = Text("--region", "only the volumes of this region", "SLUG");
        var tag = Text("--tag-name", "only volumes with this tag", "TAG");
        var list = Command("list", "list your volumes", "cloudsfor volume list\ncloudsfor volume list --region fra1 --format ID,Name,Size,VMs\ncloudsfor volume list --tag-name backup",
            region, tag).Does(async run =>
        {
            var volumes = new List<Volume>();
            await foreach (var volume in run.Client.Volumes.ListAsync(region: run.Get(region), perPage: 200, tagName: run.Get(tag), cancellationToken: run.Cancel))
                volumes.Add(volume);
            run.Out.List(volumes, Columns.Volume, CliJson.Default.ListVolume);
        });

        var getVolume = Id("volume", VolumeHelp);
        var get = Command("get", "show one volume", "cloudsfor volume get data-1\ncloudsfor volume get data-1 -o json", getVolume).Does(async run =>
            run.Out.One(await run.Client.Volumes.GetAsync(await Resolve(run.Client, run.Get(getVolume), run.Cancel), run.Cancel), Columns.Volume, CliJson.Default.Volume));

        return Group("volume", "block storage volumes, attached to VMs", list, get, Create(), Delete(), Attach(), Detach(), Resize(),
            SnapshotCommands.OfVolume());
    }

    static Command Create()
    {
        var name = Id("name", "the volume's name (a lowercase letter, then a-z, 0-9 and '-')");
        var size = new Option<int>("--size") { Description = "its size in GiB", HelpName = "GIB", Required = true };
        var region = Text("--region", "its region's slug; it attaches only to VMs there (with --snapshot, the snapshot's)", "SLUG");
        var snapshot = Text("--snapshot", "a volume snapshot's id to copy: the volume gets its data and file system", "ID");
        var fsType = Text("--fs-type", "ext4, xfs or none (the default)", "TYPE");
        var fsLabel = Text("--fs-label", "the file system's label (with --fs-type)", "LABEL");
        var description = Text("--description", "a description", "TEXT");
        var tags = Many("--tag-names", "tags, comma-separated", "TAGS");
        return Command("create", "create a volume; with --wait, return once it is available",
            "cloudsfor volume create data-1 --size 10 --region fra1 --wait\ncloudsfor volume create logs --size 50 --region nyc1 --fs-type ext4 --fs-label logs\n"
            + "cloudsfor volume create restored --size 10 --snapshot 5609f1ee1b0c4d2da622737b5ca25e6c --wait",
            name, size, region, snapshot, fsType, fsLabel, description, tags, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            if (run.Get(region) is null && run.Get(snapshot) is null)
                throw new UsageException("give --region (or --snapshot, whose region the volume takes)");
            var created = await run.Client.Volumes.CreateAsync(new CreateVolumeRequest(run.Get(name), run.Get(size), run.Get(region))
            {
                SnapshotId = run.Get(snapshot), FilesystemType = run.Get(fsType), FilesystemLabel = run.Get(fsLabel), Description = run.Get(description), Tags = Split(run.Get(tags)),
            }, run.Cancel);
            var volume = created.Volume;
            if (run.Wait)
            {
                await Waiter.ForAction(run, await run.Client.Actions.GetAsync(created.ActionId, run.Cancel));
                volume = await run.Client.Volumes.GetAsync(volume.Id, run.Cancel);
            }
            run.Out.One(volume, Columns.Volume, CliJson.Default.Volume);
        });
    }

    static Command Delete()
    {
        var volume = Id("volume", VolumeHelp);
        return Command("delete", "delete a volume (detach it first)", "cloudsfor volume delete data-1", volume).Does(async run =>
        {
            var id = await Resolve(run.Client, run.Get(volume), run.Cancel);
            await run.Client.Volumes.DeleteAsync(id, run.Cancel);
            Console.Error.WriteLine($"Deleting volume {id}");
        });
    }

    static Command Attach()
    {
        var volume = Id("volume", VolumeHelp);
        var vm = Id("vm", "the VM's id or name (in the volume's region)");
        return ActionCommand("attach", "attach a volume to a VM (at most 7 a VM)", "cloudsfor volume attach data-1 web-1 --wait", [volume, vm], volume,
            async (run, id) => await run.Client.Volumes.AttachAsync(id, await VmRefs.Resolve(run.Client, run.Get(vm), run.Cancel), run.Cancel));
    }

    static Command Detach()
    {
        var volume = Id("volume", VolumeHelp);
        return ActionCommand("detach", "detach a volume from its VM", "cloudsfor volume detach data-1 --wait", [volume], volume,
            (run, id) => run.Client.Volumes.DetachAsync(id, run.Cancel));
    }

    static Command Resize()
    {
        var volume = Id("volume", VolumeHelp);
        var size = new Option<int>("--size") { Description = "the new size in GiB (volumes only grow)", HelpName = "GIB", Required = true };
        return ActionCommand("resize", "grow a volume", "cloudsfor volume resize data-1 --size 20 --wait", [volume, size], volume,
            (run, id) => run.Client.Volumes.ResizeAsync(id, run.Get(size), run.Cancel));
    }

    /// <summary>An action on one volume: start it, wait for it with --wait, print it.</summary>
    static Command ActionCommand(string name, string description, string example, Symbol[] symbols, Argument<string> volume,
        Func<Invocation, string, Task<CloudAction>> start) =>
        Command(name, description, example, [.. symbols, Globals.Wait, Globals.Timeout]).Does(async run =>
        {
            var action = await start(run, await Resolve(run.Client, run.Get(volume), run.Cancel));
            if (run.Wait)
                action = await Waiter.ForAction(run, action);
            run.Out.One(action, Columns.Action, CliJson.Default.CloudAction);
        });

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdShape();

    /// <summary>A volume by its id or its name (a name is unique per region; one used in two regions needs the id).</summary>
    internal static async Task<string> Resolve(CloudsForClient client, string idOrName, CancellationToken cancellationToken)
    {
        if (IdShape().IsMatch(idOrName))
            return idOrName;
        var found = new List<Volume>();
        await foreach (var volume in client.Volumes.ListAsync(name: idOrName, cancellationToken: cancellationToken))
            found.Add(volume);
        return found switch
        {
            [var one] => one.Id,
            [] => throw new CliFailure($"no volume is named {idOrName}"),
            _ => throw new CliFailure($"{found.Count} volumes are named {idOrName}: give the id ({string.Join(", ", found.Select(v => v.Id))})"),
        };
    }
}
