using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Resources;

namespace CloudsFor.Tests.Keys;

/// <summary>/account/keys: keys made by ssh-keygen are stored with the fingerprints ssh-keygen prints, and found by each.</summary>
public sealed class SshKeyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    public static readonly TheoryData<string, int?> Types = new()
    {
        { "ed25519", null }, { "rsa", 2048 }, { "rsa", 3072 }, { "ecdsa", 256 }, { "ecdsa", 384 }, { "ecdsa", 521 },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public async Task A_key_is_created_with_ssh_keygens_fingerprints_and_found_by_id_and_either_fingerprint(string type, int? bits)
    {
        using var folder = new TempFolder("keys-");
        var key = await KeyGen.Make(folder.Path, type, bits);
        var user = await TestAccounts.Create(Server);

        var created = (await user.Api.Post("/account/keys", new { name = "laptop", public_key = key.PublicKey })).Expect(201);
        var shown = created["ssh_key"];
        var id = shown.Str("id");
        Formats.AssertId(shown.GetProperty("id"));
        Formats.AssertTime(shown.GetProperty("created_at"));
        Assert.Equal(("laptop", key.PublicKey, key.Md5, key.Sha256),
            (shown.Str("name"), shown.Str("public_key"), shown.Str("fingerprint"), shown.Str("fingerprint_sha256")));
        Assert.Equal($"/api/v1/account/keys/{id}", new Uri(created.Header("Location")!).AbsolutePath);

        foreach (var reference in new[] { id, key.Md5, key.Md5.ToUpperInvariant(), Uri.EscapeDataString(key.Sha256) })
            Assert.Equal(shown.ToString(), (await user.Api.Get($"/account/keys/{reference}")).Expect(200)["ssh_key"].ToString());
    }

    [Theory]
    [InlineData(VmSshKeyTests.SkEd25519)]
    [InlineData(VmSshKeyTests.SkEcdsa)]
    public async Task Security_key_types_are_accepted_with_ssh_keygens_fingerprints(string publicKey)
    {
        using var folder = new TempFolder("keys-");
        var key = await KeyGen.Read(Path.Combine(folder.Path, "sk"), publicKey);
        var user = await TestAccounts.Create(Server);
        var shown = (await user.Api.Post("/account/keys", new { name = "yubikey", public_key = publicKey })).Expect(201)["ssh_key"];
        Assert.Equal((key.Md5, key.Sha256), (shown.Str("fingerprint"), shown.Str("fingerprint_sha256")));
    }

    [Fact]
    public async Task A_key_is_renamed_and_deleted_by_fingerprint()
    {
        var user = await TestAccounts.Create(Server);
        var shown = (await user.Api.Post("/account/keys", new { name = "old", public_key = VmSshKeyTests.Ed25519 })).Expect(201)["ssh_key"];
        var path = $"/account/keys/{Uri.EscapeDataString(shown.Str("fingerprint_sha256"))}";

        var renamed = (await user.Api.Put($"/account/keys/{shown.Str("fingerprint")}", new { name = "new" })).Expect(200)["ssh_key"];
        Assert.Equal(("new", shown.Str("id"), shown.Str("public_key")), (renamed.Str("name"), renamed.Str("id"), renamed.Str("public_key")));
        Assert.Equal("new", (await user.Api.Get(path)).Expect(200)["ssh_key"].Str("name"));

        var changeKey = await user.Api.Put(path, new { name = "new", public_key = VmSshKeyTests.Rsa });
        changeKey.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["public_key"], changeKey.ErrorFields());

        (await user.Api.Delete(path)).Expect(204);
        (await user.Api.Get($"/account/keys/{shown.Str("id")}")).ExpectError(404, "not_found");
        (await user.Api.Delete(path)).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Keys_list_in_creation_order_a_page_at_a_time()
    {
        var user = await TestAccounts.Create(Server);
        string[] keys = [VmSshKeyTests.Ed25519, VmSshKeyTests.Rsa, VmSshKeyTests.SkEd25519];
        var ids = new List<string>();
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            ids.Add((await user.Api.Post("/account/keys", new { name = $"key{i}", public_key = key })).Expect(201)["ssh_key"].Str("id"));

        var first = (await user.Api.Get("/account/keys?per_page=2")).Expect(200);
        Assert.Equal(3, first["meta"].GetProperty("total").GetInt32());
        Assert.Equal(ids[..2], first["ssh_keys"].Ids());
        var second = (await user.Api.Get("/account/keys?per_page=2&page=2")).Expect(200);
        Assert.Equal(ids[2..], second["ssh_keys"].Ids());
        Assert.Equal("3", second.Header("X-Total-Count"));
    }

    [Fact]
    public async Task Another_accounts_key_is_404_on_every_route_and_absent_from_its_list()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        var key = (await alice.Api.Post("/account/keys", new { name = "alice", public_key = VmSshKeyTests.Ed25519 })).Expect(201)["ssh_key"];
        foreach (var reference in new[] { key.Str("id"), key.Str("fingerprint"), Uri.EscapeDataString(key.Str("fingerprint_sha256")) })
        {
            (await bob.Api.Get($"/account/keys/{reference}")).ExpectError(404, "not_found");
            (await bob.Api.Put($"/account/keys/{reference}", new { name = "stolen" })).ExpectError(404, "not_found");
            (await bob.Api.Delete($"/account/keys/{reference}")).ExpectError(404, "not_found");
        }
        Assert.Equal(0, (await bob.Api.Get("/account/keys")).Expect(200)["meta"].GetProperty("total").GetInt32());
        Assert.Equal("alice", (await alice.Api.Get($"/account/keys/{key.Str("id")}")).Expect(200)["ssh_key"].Str("name"));
    }
}
