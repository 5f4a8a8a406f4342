using CloudsFor.Tests.Infrastructure;
using CloudsFor.Tests.Resources;

namespace CloudsFor.Tests.Keys;

/// <summary>A key is read from its wire format: a bad one is a 422 on public_key that says what is wrong, and nothing is stored.</summary>
public sealed class SshKeyValidationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    const string Prefix = "is not an OpenSSH public key (TYPE BASE64 [COMMENT]): ";

    static string Blob(string key) => key.Split(' ')[1];

    static byte[] Bytes(string key) => Convert.FromBase64String(Blob(key));

    async Task Refused(string publicKey, string why)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/account/keys", new { name = "bad", public_key = publicKey });
        r.ExpectError(422, "unprocessable_entity");
        var error = Assert.Single(r["errors"].EnumerateArray());
        Assert.Equal(("public_key", Prefix + why), (error.Str("field"), error.Str("message")));
        Assert.Equal(0, (await user.Api.Get("/account/keys")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_rsa_key_under_2048_bits_is_refused_saying_its_size()
    {
        using var folder = new TempFolder("keys-");
        var key = await KeyGen.Make(folder.Path, "rsa", 1024);
        await Refused(key.PublicKey, "RSA keys must be at least 2048 bits; this one has 1024");
    }

    [Fact]
    public async Task A_blob_cut_short_is_refused() =>
        await Refused("ssh-ed25519 " + Convert.ToBase64String(Bytes(VmSshKeyTests.Ed25519)[..^1]), "the key data ends before the ssh-ed25519 key does");

    [Fact]
    public async Task A_blob_with_bytes_after_the_key_is_refused() =>
        await Refused("ssh-ed25519 " + Convert.ToBase64String([.. Bytes(VmSshKeyTests.Ed25519), 0, 0]), "the key data has 2 bytes more than a ssh-ed25519 key holds");

    [Fact]
    public async Task Text_that_is_not_base64_is_refused() =>
        await Refused("ssh-ed25519 AAAA*AAA", "the key data is not valid base64");

    [Fact]
    public async Task The_type_in_the_text_must_be_the_type_inside() =>
        await Refused("ssh-ed25519 " + Blob(VmSshKeyTests.Rsa) + " x", "the text says ssh-ed25519 but the key inside is ssh-rsa");

    [Fact]
    public async Task An_ecdsa_key_names_its_own_curve()
    {
        using var folder = new TempFolder("keys-");
        var key = await KeyGen.Make(folder.Path, "ecdsa", 384);
        await Refused("ecdsa-sha2-nistp256 " + Blob(key.PublicKey), "the text says ecdsa-sha2-nistp256 but the key inside is ecdsa-sha2-nistp384");
    }

    [Fact]
    public async Task An_ecdsa_point_off_its_curve_is_refused()
    {
        using var folder = new TempFolder("keys-");
        var blob = Bytes((await KeyGen.Make(folder.Path, "ecdsa", 256)).PublicKey);
        blob[^1] ^= 1; // the last byte of Y: the point moves off the curve
        await Refused("ecdsa-sha2-nistp256 " + Convert.ToBase64String(blob), "the point is not on the curve nistp256");
    }

    [Fact]
    public async Task A_dsa_key_is_not_a_type_we_take() =>
        await Refused("ssh-dss AAAAB3NzaC1kc3MAAACBAP1", "'ssh-dss' is not a key type; TYPE is one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, " +
                                                       "ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com");

    [Fact]
    public async Task The_same_key_twice_in_one_account_is_refused_whatever_its_comment_but_another_account_may_add_it()
    {
        var user = await TestAccounts.Create(Server);
        var first = (await user.Api.Post("/account/keys", new { name = "first", public_key = VmSshKeyTests.Ed25519 })).Expect(201)["ssh_key"];
        var again = await user.Api.Post("/account/keys", new { name = "again", public_key = VmSshKeyTests.Ed25519.Replace("tester@cloudsfor", "other") });
        again.ExpectError(422, "unprocessable_entity");
        var error = Assert.Single(again["errors"].EnumerateArray());
        Assert.Equal(("public_key", $"this key is already in your account as 'first' ({first.Str("id")})"), (error.Str("field"), error.Str("message")));
        Assert.Equal(1, (await user.Api.Get("/account/keys")).Expect(200)["meta"].GetProperty("total").GetInt32());

        var other = await TestAccounts.Create(Server);
        (await other.Api.Post("/account/keys", new { name = "mine too", public_key = VmSshKeyTests.Ed25519 })).Expect(201);
    }

    [Fact]
    public async Task A_name_is_required_and_at_most_255_characters()
    {
        var user = await TestAccounts.Create(Server);
        var missing = await user.Api.Post("/account/keys", new { public_key = VmSshKeyTests.Ed25519 });
        missing.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["name"], missing.ErrorFields());
        var tooLong = await user.Api.Post("/account/keys", new { name = new string('k', 256), public_key = VmSshKeyTests.Ed25519 });
        tooLong.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["name"], tooLong.ErrorFields());
        var readOnly = await user.Api.Post("/account/keys", new { name = "k", public_key = VmSshKeyTests.Ed25519, fingerprint = "aa" });
        readOnly.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["fingerprint"], readOnly.ErrorFields());
    }
}
