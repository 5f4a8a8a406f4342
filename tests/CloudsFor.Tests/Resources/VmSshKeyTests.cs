using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// POST /vms takes OpenSSH public keys in ssh_keys, one per item as in a .pub file (or a stored key's id or fingerprint:
/// Keys/VmKeyReferenceTests); anything else is a 422 on ssh_keys.
/// </summary>
public sealed class VmSshKeyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    // Made by ssh-keygen (the sk- ones are built the way a security key's are, the ECDSA one around a point ssh-keygen made: no hardware here).
    public const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHpLSw2g8zFWnSPcaDLLSVzPdO/tY+IlG1t/JwhDDeYF tester@cloudsfor";
    public const string Rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCsHFwyhuHi1YfEAHT9W+d4rOLjTM43EFmFyX+J6PlqVmapEg1eT/FjglekHPQLXf+LalCTKSWWeZqDkEczGH5JZ3PHPWabK9dzMUaNgD0n8i/pLYnG1WgEsOv1FrvSrT+UDW6tkjlr1IxWs+u/YrTq3nic2SFNkhh7wwhO3ZO+ZCg/ajXHevPrZpXkOEej3IrDBoQItZpzoyw/8/oh2mAV0J7OR+0b719afnb2ahXcGO4u11VMVzOI81VnUNilVWCo8gm23eoNoZvMIl6DfazmYCJct2fOBzoAcrA6iQ9SEIdDwFWq4yDWhclqoQHC+9mbEYEV3wV/dslMm8TWlrR9 tester@cloudsfor";
    const string Ecdsa256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNzM/JUWgQ1Hp/SYY6fjjkSMCrOW6ga4MCHnKmU14Vhxygo2HO3+gZ+bTNb+TH6sdEHZl3NEPmJOVugN9X4jHeg= tester@cloudsfor";
    const string Ecdsa384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLoqvcTg5hb4e70wDziq+joinUpELmMPT8STTCmMBVxtVsZtV+oYVB+sIHQBxd1VqBG0FheSDPg21AopyjYOoUm3MD66ZVx+5szadbhRLfwmrmKNKaLYtRY+HRqeFf9m5A== tester@cloudsfor";
    const string Ecdsa521 = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAH5EK2z68dCOqKSsc9b6y63vA0USFZYwIsjZA6leFywAE3czrDpNLrNSyYeiJt9sBCpk3RH9wOPJIAL6PXTukz2WgHFJRvQyD0zb0t+y2U7cjaWRtuJtA61gzb9HqJ9t0BhwRlkn24JsEGmlwQTBbBjrj6HH0A7PpF947CNqnqqyob9nQ== tester@cloudsfor";
    public const string SkEd25519 = "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIHINvgAbdDUj5nZMp0x0WUDvN9dTH1JXzB6wOEVUlSqIAAAABHNzaDo= yubikey";
    public const string SkEcdsa = "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBNOeb3Nw4lISpS7y6Gt8UzjGtYKye1d3DdSFO5yGKIWMoJxMce9uov7ceR/AjiUEThSS5jyt/FgEJv2jU763sUEAAAAEc3NoOg== yubikey";

    [Fact]
    public async Task Every_OpenSSH_key_type_is_accepted_with_or_without_a_comment()
    {
        var user = await TestAccounts.Create(Server);
        string[] keys = [Ed25519, Rsa, Ecdsa256, Ecdsa384, Ecdsa521, SkEd25519, SkEcdsa,
            Ed25519.Replace(" tester@cloudsfor", ""), Ed25519.Replace("tester@cloudsfor", "a comment with spaces")];
        (await user.Api.Post("/vms", new { name = "keys", size = Vms.SmallSize, image = Vms.TinyImage, ssh_keys = keys })).Expect(202);
    }

    public static readonly TheoryData<string> NotPublicKeys = new()
    {
        "not a key",
        "ssh-ed25519",
        "ssh-ed25519 ",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", // the type alone, no key
        "ssh-ed25519 not*base64 tester@cloudsfor",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHpLSw2g8zFWnSPcaDLLSVzPdO/tY+IlG1t/JwhDDeY tester@cloudsfor", // cut short: no longer base64
        // A key of another type under this name.
        "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAAAQHkVhhybbIijgN7q2IGtPEBJrgZviyBUb48eUQ+fqkJuRg/CmujGumvYaYnDDnxKGXJyuJV0BvrKiTOf/E9v1pc=",
        "ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/xfW6MPbLm1Vs14E7gB00b/JmYLdrmVClpJ+f6AR7ECLCT7up1/63xhv4O1fnxqimFQ8E+4P208UewwI1VBNaFpEy9nXzrith1yrv8iIDGZ3RSAHHAAAAFQCXYFCPFSMLzLKSuYKi64QL8Fgc9QAAAIEA9+GghdabPd7LvKtcNrhXuXmUr7v6OuqC+VdMCz0HgmdRWVeOutRZT+ZxBxCBgLRJFnEj6EwoFhO3zwkyjMim4TwWeotUfI0o4KOuHiuzpnWRbqN/C/ohNWLx+2J6ASQ7zKTxvqhRkImog9/hWuWfBpKLZl6Ae1UlZAFMO/7PSSo=",
        "AAAAC3NzaC1lZDI1NTE5AAAAIHpLSw2g8zFWnSPcaDLLSVzPdO/tY+IlG1t/JwhDDeYF",
        "from=\"10.0.0.1\" " + Ed25519, // authorized_keys options are not part of a public key
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    };

    [Theory]
    [MemberData(nameof(NotPublicKeys))]
    public async Task Anything_else_is_422_on_ssh_keys_and_creates_nothing(string key)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/vms", new { name = "keys", size = Vms.SmallSize, image = Vms.TinyImage, ssh_keys = new[] { Ed25519, key } });
        r.ExpectError(422, "unprocessable_entity");
        var error = Assert.Single(r["errors"].EnumerateArray());
        Assert.Equal("ssh_keys", error.Str("field"));
        Assert.StartsWith("item 2 is not an OpenSSH public key (TYPE BASE64 [COMMENT]), a key id or a fingerprint: ", error.Str("message"));
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());
    }
}
