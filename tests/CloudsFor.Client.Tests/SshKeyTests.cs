using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Keys;
using CloudsFor.Tests.Resources;

namespace CloudsFor.Client.Tests;

public sealed class SshKeyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_key_is_added_found_by_either_fingerprint_renamed_listed_used_for_a_vm_and_deleted()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        using var folder = new TempFolder("keys-");
        var made = await KeyGen.Make(folder.Path, "ed25519");

        var key = await client.SshKeys.CreateAsync(new CreateSshKeyRequest("laptop", made.PublicKey));
        Assert.Equal((made.PublicKey, made.Md5, made.Sha256), (key.PublicKey, key.Fingerprint, key.FingerprintSha256));
        Assert.Equal(key, await client.SshKeys.GetAsync(made.Sha256)); // a '/' in it must reach the server encoded
        var renamed = await client.SshKeys.UpdateAsync(made.Md5, new UpdateSshKeyRequest("desk"));
        Assert.Equal(key with { Name = "desk" }, renamed);
        Assert.Equal([renamed], await client.SshKeys.ListAsync().ToListAsync());
        Assert.Equal(1, (await client.SshKeys.GetPageAsync(perPage: 1)).Total);

        var vm = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage) { SshKeys = [key.FingerprintSha256] });
        Assert.NotNull(vm);

        await client.SshKeys.DeleteAsync(key.Id);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.SshKeys.GetAsync(key.Id))).Status);
    }

    [Fact]
    public async Task A_short_rsa_key_is_a_422_on_public_key()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        using var folder = new TempFolder("keys-");
        var made = await KeyGen.Make(folder.Path, "rsa", 1024);

        var e = await Assert.ThrowsAsync<ApiException>(() => client.SshKeys.CreateAsync(new CreateSshKeyRequest("old", made.PublicKey)));

        Assert.Equal(422, e.Status);
        Assert.Equal(["public_key"], e.Errors.Select(f => f.Field));
        Assert.Empty(await client.SshKeys.ListAsync().ToListAsync());
    }
}
