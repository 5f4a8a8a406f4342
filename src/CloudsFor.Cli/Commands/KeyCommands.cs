using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor key …`: the account's SSH keys (doctl's ssh-key commands). A key is named by its id or either fingerprint.</summary>
public static class KeyCommands
{
    const string KeyHelp = "the key's name, id, MD5 fingerprint or SHA256: fingerprint";

    public static System.CommandLine.Command Build()
    {
        var list = Command("list", "list your SSH keys", "cloudsfor key list\ncloudsfor key list --format ID,Name,SHA256").Does(async run =>
        {
            var keys = new List<SshKey>();
            await foreach (var key in run.Client.SshKeys.ListAsync(200, run.Cancel))
                keys.Add(key);
            run.Out.List(keys, Columns.SshKey, CliJson.Default.ListSshKey);
        });

        var getKey = Id("key", KeyHelp);
        var get = Command("get", "show one SSH key", "cloudsfor key get 3b:16:bf:…\ncloudsfor key get SHA256:… -o json", getKey).Does(async run =>
            run.Out.One(await run.Client.SshKeys.GetAsync(await KeyRefs.One(run, run.Get(getKey)), run.Cancel), Columns.SshKey, CliJson.Default.SshKey));

        var name = Id("name", "the key's name");
        var publicKey = Text("--public-key", "the key's line, as in a .pub file", "KEY");
        var publicKeyFile = Text("--public-key-file", "read the key from this .pub file", "FILE");
        var create = Command("create", "add an SSH key, to name in vm create --ssh-keys",
            "cloudsfor key create laptop --public-key-file ~/.ssh/id_ed25519.pub\ncloudsfor key create ci --public-key \"ssh-ed25519 AAAA… ci\"",
            name, publicKey, publicKeyFile).Does(async run =>
        {
            var text = (run.Get(publicKey), run.Get(publicKeyFile)) switch
            {
                ({ } line, null) => line,
                (null, { } file) => ReadKeyFile(file),
                (null, null) => throw new UsageException("give --public-key or --public-key-file"),
                _ => throw new UsageException("give --public-key or --public-key-file, not both"),
            };
            run.Out.One(await run.Client.SshKeys.CreateAsync(new CreateSshKeyRequest(run.Get(name), text), run.Cancel), Columns.SshKey, CliJson.Default.SshKey);
        });

        var updateKey = Id("key", KeyHelp);
        var newName = Required("--name", "the new name", "NAME");
        var update = Command("update", "rename an SSH key", "cloudsfor key update 3b:16:bf:… --name old-laptop", updateKey, newName).Does(async run =>
            run.Out.One(await run.Client.SshKeys.UpdateAsync(await KeyRefs.One(run, run.Get(updateKey)), new UpdateSshKeyRequest(run.Get(newName)), run.Cancel),
                Columns.SshKey, CliJson.Default.SshKey));

        var deleteKey = Id("key", KeyHelp);
        var delete = Command("delete", "delete an SSH key (VMs that have it keep it)", "cloudsfor key delete 3b:16:bf:…", deleteKey).Does(async run =>
        {
            await run.Client.SshKeys.DeleteAsync(await KeyRefs.One(run, run.Get(deleteKey)), run.Cancel);
            Console.Error.WriteLine($"Deleted SSH key {run.Get(deleteKey)}");
        });
        return Group("key", "your SSH keys, for VMs", list, get, create, update, delete);
    }

    /// <summary>The one key of a .pub file (comments and blank lines aside); several are for several `key create`s.</summary>
    static string ReadKeyFile(string path)
    {
        if (!File.Exists(VmCommands.Home(path)))
            throw new UsageException($"no file {path}");
        var keys = VmCommands.SshKeys(path).ToList();
        return keys.Count == 1 ? keys[0] : throw new UsageException($"{path} holds {keys.Count} keys; give a file with one");
    }
}
