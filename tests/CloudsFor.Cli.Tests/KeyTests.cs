using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Keys;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor key`: a .pub file made by ssh-keygen goes in with --public-key-file, lists, and goes by fingerprint.</summary>
public sealed class KeyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_key_from_a_pub_file_is_listed_with_its_fingerprint_used_by_vm_create_and_deleted_by_fingerprint()
    {
        using var home = new CliHome(shared.Server);
        var user = await home.Login();
        var made = await KeyGen.Make(home.Home, "ed25519");

        var created = JsonDocument.Parse((await home.Ok("key", "create", "laptop", "--public-key-file", made.PrivateKeyFile + ".pub", "-o", "json")).Stdout).RootElement;
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal((made.PublicKey, made.Md5), (created.GetProperty("public_key").GetString(), created.GetProperty("fingerprint").GetString()));

        var table = await home.Ok("key", "list");
        Assert.Equal(["ID\tName\tFingerPrint", $"{id}\tlaptop\t{made.Md5}"], table.Lines);
        Assert.Equal($"{made.Sha256}\n", (await home.Ok("key", "get", made.Md5, "--format", "SHA256", "--no-header")).Stdout);

        await home.Ok("vm", "create", "keyed-1", "--size", Vms.SmallSize, "--image", Vms.TinyImage, "--ssh-keys", made.Sha256);

        var deleted = await home.Ok("key", "delete", made.Sha256);
        Assert.Equal("", deleted.Stdout);
        (await user.Api.Get($"/account/keys/{id}")).ExpectError(404, "not_found");
        Assert.Equal(["ID\tName\tFingerPrint"], (await home.Ok("key", "list")).Lines);
    }

    [Fact]
    public async Task A_saved_keys_name_stands_for_it_in_vm_create_and_key_get_update_delete_and_an_unknown_name_is_the_servers_422()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        var made = await KeyGen.Make(home.Home, "ed25519");
        await home.Ok("key", "create", "desk", "--public-key", made.PublicKey);

        var vm = JsonDocument.Parse((await home.Ok("vm", "create", "named-key-1", "--size", Vms.SmallSize, "--image", Vms.TinyImage, "--ssh-keys", "desk", "-o", "json")).Stdout).RootElement;
        Assert.Equal([made.PublicKey], StoreFiles.VmSshKeys(shared.Server, vm.GetProperty("id").GetString()!));

        var unknown = await home.Run("vm", "create", "named-key-2", "--size", Vms.SmallSize, "--image", Vms.TinyImage, "--ssh-keys", "nobody");
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("ssh_keys: item 1 is not an OpenSSH public key", unknown.Stderr);

        await home.Ok("key", "update", "desk", "--name", "study");
        Assert.Equal("study\n", (await home.Ok("key", "get", "study", "--format", "Name", "--no-header")).Stdout);
        await home.Ok("key", "delete", "study");
        Assert.Equal(["ID\tName\tFingerPrint"], (await home.Ok("key", "list")).Lines);
    }

    [Fact]
    public async Task A_refused_key_exits_1_with_the_servers_reason_and_a_missing_file_exits_2()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        var made = await KeyGen.Make(home.Home, "rsa", 1024);

        var refused = await home.Run("key", "create", "old", "--public-key", made.PublicKey);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("RSA keys must be at least 2048 bits; this one has 1024", refused.Stderr);

        var missing = await home.Run("key", "create", "old", "--public-key-file", Path.Combine(home.Home, "nothing.pub"));
        Assert.True(missing.ExitCode == 2, missing.ToString());
    }
}
