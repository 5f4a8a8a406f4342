using System.Text.RegularExpressions;
using CloudsFor.Client;
using CloudsFor.Client.Models;

namespace CloudsFor.Cli.Commands;

/// <summary>A VM named on the command line by its id or, more handily, by its name.</summary>
public static partial class VmRefs
{
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdShape();

    public static async Task<string> Resolve(CloudsForClient client, string idOrName, CancellationToken cancellationToken)
    {
        if (IdShape().IsMatch(idOrName))
            return idOrName;
        var found = new List<Vm>();
        await foreach (var vm in client.Vms.ListAsync(new VmFilter(Name: idOrName), cancellationToken: cancellationToken))
            found.Add(vm);
        return found switch
        {
            [var one] => one.Id,
            [] => throw new CliFailure($"no VM is named {idOrName}"),
            _ => throw new CliFailure($"{found.Count} VMs are named {idOrName}: give the id ({string.Join(", ", found.Select(v => v.Id))})"),
        };
    }

    /// <summary>
    /// DELETE answers 204 without the destroy action it started; that action is among the account's newest, so the
    /// last page of /actions holds it.
    /// </summary>
    public static async Task<CloudAction?> DestroyAction(CloudsForClient client, string vmId, CancellationToken cancellationToken)
    {
        const int perPage = 100;
        var first = await client.Actions.GetPageAsync(1, 1, cancellationToken);
        var last = (int)Math.Max(1, (first.Total + perPage - 1) / perPage);
        for (var page = last; page >= Math.Max(1, last - 1); page--)
        {
            var actions = await client.Actions.GetPageAsync(page, perPage, cancellationToken);
            if (actions.Items.LastOrDefault(a => a.ResourceId == vmId && a.Type == "destroy") is { } destroy)
                return destroy;
        }
        return null;
    }
}
