using System.Text.Json;
using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Resources;

namespace CloudsFor.Tests.Keys;

/// <summary>
/// ssh_keys of POST /vms and of a rebuild name the account's keys by id or fingerprint; the VM keeps the public keys
/// themselves (read here from the store, where the driver gets them), so the driver installs them as it does a literal key.
/// </summary>
public sealed class VmKeyReferenceTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    string[] StoredKeys(string vmId) => StoreFiles.VmSshKeys(Server, vmId);

    static async Task<JsonElement> AddKey(TestUser user, string publicKey) =>
        (await user.Api.Post("/account/keys", new { name = TestAccounts.UniqueName("key-"), public_key = publicKey })).Expect(201)["ssh_key"];

    static object Vm(params string[] keys) => new { name = Vms.UniqueName(), size = Vms.SmallSize, image = Vms.TinyImage, ssh_keys = keys };

    [Fact]
    public async Task A_vm_gets_the_public_keys_named_by_id_and_by_either_fingerprint()
    {
        var user = await TestAccounts.Create(Server);
        var ed = await AddKey(user, VmSshKeyTests.Ed25519);
        var rsa = await AddKey(user, VmSshKeyTests.Rsa);
        var sk = await AddKey(user, VmSshKeyTests.SkEcdsa);

        var vm = (await user.Api.Post("/vms", Vm(ed.Str("id"), rsa.Str("fingerprint"), sk.Str("fingerprint_sha256")))).Expect(202)["vm"].Str("id");
        Assert.Equal([VmSshKeyTests.Ed25519, VmSshKeyTests.Rsa, VmSshKeyTests.SkEcdsa], StoredKeys(vm));
    }

    [Fact]
    public async Task Another_accounts_key_or_an_unknown_fingerprint_is_422_naming_the_item_and_creates_nothing()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var alices = await AddKey(alice, VmSshKeyTests.Ed25519);
        var unknown = "SHA256:" + new string('A', 43);

        var r = await bob.Api.Post("/vms", Vm(VmSshKeyTests.Rsa, alices.Str("id"), unknown));
        r.ExpectError(422, "unprocessable_entity");
        Assert.Equal(
            [("ssh_keys", $"item 2, '{alices.Str("id")}', is not one of your SSH keys; GET /account/keys lists them"),
             ("ssh_keys", $"item 3, '{unknown}', is not one of your SSH keys; GET /account/keys lists them")],
            r["errors"].EnumerateArray().Select(e => (e.Str("field"), e.Str("message"))).ToList());
        Assert.Equal(0, (await bob.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_rebuild_with_ssh_keys_replaces_the_vms_keys_and_one_without_keeps_them()
    {
        var user = await TestAccounts.Create(Server);
        var ed = await AddKey(user, VmSshKeyTests.Ed25519);
        var rsa = await AddKey(user, VmSshKeyTests.Rsa);
        var created = (await user.Api.Post("/vms", Vm(ed.Str("id")))).Expect(202);
        var vm = created["vm"].Str("id");
        await Vms.WaitForAction(user.Api, created["links"].GetProperty("actions")[0].Str("id"));

        await Vms.RunCompleted(user.Api, vm, new { type = "rebuild", image = Vms.TinyImage, ssh_keys = new[] { rsa.Str("fingerprint") } });
        Assert.Equal([VmSshKeyTests.Rsa], StoredKeys(vm));
        await Vms.RunCompleted(user.Api, vm, new { type = "rebuild", image = Vms.TinyImage });
        Assert.Equal([VmSshKeyTests.Rsa], StoredKeys(vm));

        var foreign = await user.Api.Post($"/vms/{vm}/actions", new { type = "rebuild", image = Vms.TinyImage, ssh_keys = new[] { Formats.RandomId() } });
        foreign.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["ssh_keys"], foreign.ErrorFields());
    }
}
