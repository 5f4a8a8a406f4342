using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor vm …`: VMs and the actions on them.</summary>
public static class VmCommands
{
    public static Command Build() => Group("vm", "virtual machines: create, list, act on and delete them",
        List(), Get(), Create(), Update(), Delete(), ConsoleOutput(),
        Rename(), Resize(), Rebuild(), Snapshot(),
        Power("power-on", VmActionType.PowerOn, "start a VM that is off"),
        Power("power-off", VmActionType.PowerOff, "switch a VM off at once (hard); see shutdown for the graceful way"),
        Power("shutdown", VmActionType.Shutdown, "shut a VM down gracefully (ACPI power button)"),
        Power("reboot", VmActionType.Reboot, "reboot a VM gracefully"),
        Power("power-cycle", VmActionType.PowerCycle, "switch a VM off and on again (hard)"));

    static Argument<string> VmArgument() => Id("vm", "the VM's id or name");

    static Command List()
    {
        var tag = Text("--tag-name", "only VMs with this tag", "TAG");
        var name = Text("--name", "only VMs with this name", "NAME");
        var status = Text("--status", "only VMs in this status: new, active, off, errored", "STATUS");
        var region = Text("--region", "only VMs in this region", "SLUG");
        return Command("list", "list the VMs",
            "cloudsfor vm list\ncloudsfor vm list --tag-name web --format ID,Name,IPv4 --no-header\ncloudsfor vm list -o json | jq -r '.[].name'",
            tag, name, status, region).Does(async run =>
        {
            var filter = new Client.VmFilter(run.Get(tag), run.Get(name), run.Get(status), run.Get(region));
            var vms = new List<Vm>();
            await foreach (var vm in run.Client.Vms.ListAsync(filter, 200, run.Cancel))
                vms.Add(vm);
            run.Out.List(vms, Columns.Vm, CliJson.Default.ListVm);
        });
    }

    static Command Get()
    {
        var vm = VmArgument();
        return Command("get", "show one VM", "cloudsfor vm get web-1\ncloudsfor vm get web-1 --format ID,Status,Ports", vm).Does(async run =>
        {
            var id = await VmRefs.Resolve(run.Client, run.Get(vm), run.Cancel);
            run.Out.One(await run.Client.Vms.GetAsync(id, run.Cancel), Columns.Vm, CliJson.Default.Vm);
        });
    }

    static Command Create()
    {
        var names = new Argument<string[]>("name") { Description = "the VM's name (a hostname); up to 10 names make as many VMs alike", Arity = new ArgumentArity(1, 10) };
        var size = Required("--size", "the size's slug (cloudsfor size list)", "SLUG");
        var image = Required("--image", "the image's id or slug (cloudsfor image list)", "IMAGE");
        var region = Text("--region", "the region's slug (default: the catalog's first)", "SLUG");
        var sshKeys = Many("--ssh-keys", "SSH keys: names, ids or fingerprints of your keys (cloudsfor key list), .pub files or key lines; comma-separated or repeated", "KEYS");
        var userData = Text("--user-data", "user data for the guest (a #! script)", "TEXT");
        var userDataFile = Text("--user-data-file", "read the user data from this file", "FILE");
        var tags = Many("--tag-names", "tags, comma-separated or repeated", "TAGS", "--tag-name");
        return Command("create", "create one VM (or several alike); with --wait, return only once the guest is ready",
            "cloudsfor vm create web-1 --size s-1vcpu-512mb --image tiny --wait\n" +
            "cloudsfor vm create web-1 web-2 --size s-1vcpu-1gb --image debian-12 --region nyc1 --tag-names web --ssh-keys ~/.ssh/id_ed25519.pub",
            names, size, image, region, sshKeys, userData, userDataFile, tags, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            if (run.Get(userData) is not null && run.Get(userDataFile) is not null)
                throw new UsageException("give --user-data or --user-data-file, not both");
            var data = run.Get(userDataFile) is { } file ? ReadFile(file) : run.Get(userData);
            var keys = await GivenKeys(run, run.Get(sshKeys));
            var tagList = Split(run.Get(tags));
            var given = run.Get(names);
            List<(string Vm, string Action)> started;
            if (given.Length == 1)
            {
                var created = await run.Client.Vms.CreateAsync(new CreateVmRequest(given[0], run.Get(size), run.Get(image))
                    { Region = run.Get(region), SshKeys = keys, UserData = data, Tags = tagList }, run.Cancel);
                started = [(created.Vm.Id, created.ActionId)];
            }
            else
            {
                var created = await run.Client.Vms.CreateManyAsync(new CreateVmsRequest(given, run.Get(size), run.Get(image))
                    { Region = run.Get(region), SshKeys = keys, UserData = data, Tags = tagList }, run.Cancel);
                started = created.Vms.Select((v, i) => (v.Id, created.ActionIds[i])).ToList();
            }
            if (run.Wait)
                foreach (var (vmId, actionId) in started)
                    await Waiter.ForReadyVm(run, vmId, actionId);
            var vms = new List<Vm>();
            foreach (var (vmId, _) in started)
                vms.Add(await run.Client.Vms.GetAsync(vmId, run.Cancel));
            if (vms.Count == 1)
                run.Out.One(vms[0], Columns.Vm, CliJson.Default.Vm);
            else
                run.Out.List(vms, Columns.Vm, CliJson.Default.ListVm);
        });
    }

    static Command Update()
    {
        var vm = VmArgument();
        var name = Text("--name", "the new name (changes at once; rename does it as an action)", "NAME");
        var tags = Many("--tag-names", "replace the tags with these (comma-separated or repeated; \"\" for none)", "TAGS");
        return Command("update", "set a VM's name and/or tags in place", "cloudsfor vm update web-1 --tag-names web,prod", vm, name, tags).Does(async run =>
        {
            var id = await VmRefs.Resolve(run.Client, run.Get(vm), run.Cancel);
            var tagList = run.Has(tags) ? Split(run.Get(tags)) ?? [] : null;
            if (run.Get(name) is null && tagList is null)
                throw new UsageException("give --name and/or --tag-names");
            run.Out.One(await run.Client.Vms.UpdateAsync(id, new UpdateVmRequest(run.Get(name), tagList), run.Cancel), Columns.Vm, CliJson.Default.Vm);
        });
    }

    static Command Delete()
    {
        var vms = new Argument<string[]>("vm") { Description = "the VMs' ids or names", Arity = ArgumentArity.ZeroOrMore };
        var tag = Text("--tag-name", "delete every VM with this tag", "TAG");
        return Command("delete", "delete VMs (they leave the API at once; --wait waits until they are destroyed)",
            "cloudsfor vm delete web-1\ncloudsfor vm delete --tag-name test", vms, tag, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            var given = run.Get(vms) ?? [];
            if ((given.Length == 0) == (run.Get(tag) is null))
                throw new UsageException("name the VMs to delete, or give --tag-name (not both)");
            if (run.Get(tag) is { } t)
            {
                await run.Client.Vms.DeleteByTagAsync(t, run.Cancel);
                Console.Error.WriteLine($"Deleting the VMs tagged {t}");
                return;
            }
            foreach (var name in given)
            {
                var id = await VmRefs.Resolve(run.Client, name, run.Cancel);
                await run.Client.Vms.DeleteAsync(id, run.Cancel);
                if (run.Wait && await VmRefs.DestroyAction(run.Client, id, run.Cancel) is { } destroy)
                    await Waiter.ForAction(run, destroy);
                Console.Error.WriteLine(run.Wait ? $"Deleted VM {id}" : $"Deleting VM {id}");
            }
        });
    }

    static Command ConsoleOutput()
    {
        var vm = VmArgument();
        var lines = Number("--lines", "how many of the last lines (1-5000, default 100)");
        return Command("console", "print the last lines of a VM's serial console", "cloudsfor vm console web-1 --lines 20", vm, lines).Does(async run =>
        {
            var id = await VmRefs.Resolve(run.Client, run.Get(vm), run.Cancel);
            var console = await run.Client.Console.GetAsync(id, run.Get(lines), run.Cancel);
            if (run.Json)
                System.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(console, CliJson.Default.VmConsole));
            else
                System.Console.Out.Write(console.Output.EndsWith('\n') || console.Output.Length == 0 ? console.Output : console.Output + "\n");
        });
    }

    static Command Rename()
    {
        var vm = VmArgument();
        var name = Id("new-name", "the new name");
        return ActionCommand("rename", "rename a VM", "cloudsfor vm rename web-1 web-2 --wait", [vm, name],
            (run, id) => run.Client.VmActions.RenameAsync(id, run.Get(name), run.Cancel), vm);
    }

    static Command Resize()
    {
        var vm = VmArgument();
        var size = Required("--size", "the new size's slug", "SLUG");
        var disk = Switch("--resize-disk", "grow the disk to the size's too (disks never shrink)");
        return ActionCommand("resize", "give a VM another size", "cloudsfor vm resize web-1 --size s-2vcpu-2gb --resize-disk --wait", [vm, size, disk],
            (run, id) => run.Client.VmActions.ResizeAsync(id, run.Get(size), run.Get(disk), run.Cancel), vm);
    }

    static Command Rebuild()
    {
        var vm = VmArgument();
        var image = Required("--image", "the image's id or slug", "IMAGE");
        var sshKeys = Many("--ssh-keys", "replace the VM's SSH keys: key names, ids, fingerprints, .pub files or key lines (default: keep them)", "KEYS");
        return ActionCommand("rebuild", "reinstall a VM from an image (its disk is replaced)",
            "cloudsfor vm rebuild web-1 --image debian-12 --wait\ncloudsfor vm rebuild web-1 --image tiny --ssh-keys 3b:16:bf:…", [vm, image, sshKeys],
            async (run, id) => await GivenKeys(run, run.Get(sshKeys)) is { } keys
                ? await run.Client.VmActions.RebuildAsync(id, run.Get(image), keys, run.Cancel)
                : await run.Client.VmActions.RebuildAsync(id, run.Get(image), run.Cancel), vm);
    }

    static Command Snapshot()
    {
        var vm = VmArgument();
        var name = Text("--snapshot-name", "the snapshot's name (default: the VM's name with -snapshot)", "NAME");
        return ActionCommand("snapshot", "make an image of a VM's disk", "cloudsfor vm snapshot web-1 --snapshot-name web-1-before-upgrade --wait", [vm, name],
            (run, id) => run.Client.VmActions.SnapshotAsync(id, run.Get(name), run.Cancel), vm);
    }

    static Command Power(string name, string type, string description)
    {
        var vm = new Argument<string?>("vm") { Description = "the VM's id or name", Arity = ArgumentArity.ZeroOrOne };
        var tag = Text("--tag-name", "act on every VM with this tag instead", "TAG");
        return Command(name, description, $"cloudsfor vm {name} web-1 --wait\ncloudsfor vm {name} --tag-name web",
            vm, tag, Globals.Wait, Globals.Timeout).Does(async run =>
        {
            if ((run.Get(vm) is null) == (run.Get(tag) is null))
                throw new UsageException("name a VM, or give --tag-name (not both)");
            List<CloudAction> actions;
            if (run.Get(tag) is { } t)
                actions = [.. await run.Client.VmActions.RunForTagAsync(t, type, run.Cancel)];
            else
                actions = [await run.Client.VmActions.RunAsync(await VmRefs.Resolve(run.Client, run.Get(vm)!, run.Cancel), new VmActionRequest(type), run.Cancel)];
            if (run.Wait)
                for (var i = 0; i < actions.Count; i++)
                    actions[i] = await Waiter.ForAction(run, actions[i]);
            if (run.Get(tag) is null)
                run.Out.One(actions[0], Columns.Action, CliJson.Default.CloudAction);
            else
                run.Out.List(actions, Columns.Action, CliJson.Default.ListCloudAction);
        });
    }

    /// <summary>An action on one VM: start it, wait for it with --wait, print it.</summary>
    static Command ActionCommand(string name, string description, string example, Symbol[] symbols,
        Func<Invocation, string, Task<CloudAction>> start, Argument<string> vm) =>
        Command(name, description, example, [.. symbols, Globals.Wait, Globals.Timeout]).Does(async run =>
        {
            var action = await start(run, await VmRefs.Resolve(run.Client, run.Get(vm), run.Cancel));
            if (run.Wait)
                action = await Waiter.ForAction(run, action);
            run.Out.One(action, Columns.Action, CliJson.Default.CloudAction);
        });

    static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"no file {path}");

    /// <summary>The keys as the API takes them: a .pub file's lines, and each value through <see cref="KeyRefs"/>.</summary>
    static async Task<List<string>?> GivenKeys(Invocation run, string[]? given) =>
        Split(given)?.SelectMany(SshKeys).ToList() is { } values ? await KeyRefs.Map(run, values) : null;

    /// <summary>A .pub file's keys, or the value itself (a key line, id or fingerprint).</summary>
    internal static IEnumerable<string> SshKeys(string value)
    {
        var path = Home(value);
        return File.Exists(path)
            ? File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            : [value];
    }

    /// <summary>A path with ~/ expanded, as a shell would have done had the value not been quoted or comma-joined.</summary>
    internal static string Home(string path) => path.StartsWith("~/", StringComparison.Ordinal)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
        : path;
}
