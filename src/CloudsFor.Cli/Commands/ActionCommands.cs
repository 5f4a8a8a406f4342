using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor action …`: the account's actions, and waiting for one.</summary>
public static class ActionCommands
{
    public static Command Build() => Group("action", "actions: the background work behind every change of a VM", List(), Get(), Wait());

    static Command List()
    {
        var vm = Text("--vm", "only the actions of this VM (id or name)", "VM");
        return Command("list", "list the account's actions, oldest first", "cloudsfor action list\ncloudsfor action list --vm web-1 --format ID,Type,Status,Completed", vm)
            .Does(async run =>
            {
                var actions = new List<CloudAction>();
                var items = run.Get(vm) is { } v
                    ? run.Client.VmActions.ListAsync(await VmRefs.Resolve(run.Client, v, run.Cancel), 200, run.Cancel)
                    : run.Client.Actions.ListAsync(200, run.Cancel);
                await foreach (var action in items)
                    actions.Add(action);
                run.Out.List(actions, Columns.Action, CliJson.Default.ListCloudAction);
            });
    }

    static Command Get()
    {
        var id = Id("id", "the action's id");
        return Command("get", "show one action", "cloudsfor action get 3f2a…", id).Does(async run =>
            run.Out.One(await run.Client.Actions.GetAsync(run.Get(id), run.Cancel), Columns.Action, CliJson.Default.CloudAction));
    }

    static Command Wait()
    {
        var id = Id("id", "the action's id");
        return Command("wait", "wait until an action is done, then show it (exit code 1 if it errored, 3 on --timeout)",
            "cloudsfor action wait 3f2a… --timeout 5m", id, Globals.Timeout).Does(async run =>
        {
            var action = await run.Client.Actions.GetAsync(run.Get(id), run.Cancel);
            run.Out.One(await Waiter.ForAction(run, action), Columns.Action, CliJson.Default.CloudAction);
        });
    }
}
