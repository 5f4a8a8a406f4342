using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor snapshot …` (doctl's snapshot commands) and `cloudsfor volume snapshot`, which makes one.</summary>
public static class SnapshotCommands
{
    public static Command Build()
    {
        var resourceType = Text("--resource-type", "only snapshots of vm or of volume", "TYPE");
        var tagName = Text("--tag-name", "only snapshots with this tag", "TAG");
        var list = Command("list", "list your snapshots of VMs and volumes",
            "cloudsfor snapshot list\ncloudsfor snapshot list --resource-type volume --format ID,Name,Size,ResourceID", resourceType, tagName).Does(async run =>
        {
            var snapshots = new List<Snapshot>();
            await foreach (var snapshot in run.Client.Snapshots.ListAsync(run.Get(resourceType), run.Get(tagName), 200, run.Cancel))
                snapshots.Add(snapshot);
            run.Out.List(snapshots, Columns.Snapshot, CliJson.Default.ListSnapshot);
        });

        var getId = Id("snapshot", "the snapshot's id");
        var get = Command("get", "show one snapshot", "cloudsfor snapshot get 5609f1ee1b0c4d2da622737b5ca25e6c -o json", getId).Does(async run =>
            run.Out.One(await run.Client.Snapshots.GetAsync(run.Get(getId), run.Cancel), Columns.Snapshot, CliJson.Default.Snapshot));

        var deleteId = Id("snapshot", "the snapshot's id");
        var delete = Command("delete", "delete a snapshot; its files are removed at once (volumes and VMs made from it stay)",
            "cloudsfor snapshot delete 5609f1ee1b0c4d2da622737b5ca25e6c", deleteId).Does(async run =>
        {
            await run.Client.Snapshots.DeleteAsync(run.Get(deleteId), run.Cancel);
            Console.Error.WriteLine($"Deleting snapshot {run.Get(deleteId)}");
        });

        return Group("snapshot", "snapshots of VMs and volumes", list, get, delete);
    }

    /// <summary>`cloudsfor volume snapshot VOLUME --name N`: the snapshot as accepted (creating), or with --wait once it is made.</summary>
    public static Command OfVolume()
    {
        var volume = Id("volume", "the volume's id or name");
        var name = Required("--name", "the snapshot's name", "NAME");
        var tags = Many("--tag-names", "tags, comma-separated", "TAGS");
        return Command("snapshot", "snapshot a volume; with --wait, return once the snapshot is available",
            "cloudsfor volume snapshot data-1 --name nightly --wait", volume, name, tags, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            var id = await VolumeCommands.Resolve(run.Client, run.Get(volume), run.Cancel);
            var created = await run.Client.Volumes.CreateSnapshotAsync(id, new CreateSnapshotRequest(run.Get(name)) { Tags = Split(run.Get(tags)) }, run.Cancel);
            var snapshot = created.Snapshot;
            if (run.Wait)
            {
                await Waiter.ForAction(run, await run.Client.Actions.GetAsync(created.ActionId, run.Cancel));
                snapshot = await run.Client.Snapshots.GetAsync(snapshot.Id, run.Cancel);
            }
            run.Out.One(snapshot, Columns.Snapshot, CliJson.Default.Snapshot);
        });
    }
}
