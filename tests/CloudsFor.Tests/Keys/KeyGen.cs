using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Keys;

/// <summary>A key pair made by ssh-keygen, with the fingerprints ssh-keygen prints for it: the oracle for the server's.</summary>
public sealed record GeneratedKey(string PrivateKeyFile, string PublicKey, string Md5, string Sha256);

public static class KeyGen
{
    const string Hint = "ssh-keygen comes with Debian's openssh-client";

    /// <summary>A new key of <paramref name="type"/> (ed25519, rsa, ecdsa) in <paramref name="folder"/>.</summary>
    public static async Task<GeneratedKey> Make(string folder, string type, int? bits = null, string comment = "tester@cloudsfor")
    {
        var file = Path.Combine(folder, $"{type}-{bits}-{Guid.NewGuid():N}");
        string[] args = ["-q", "-t", type, .. bits is null ? Array.Empty<string>() : ["-b", bits.Value.ToString()], "-N", "", "-C", comment, "-f", file];
        var made = await Tools.Start(Poll.DefaultDeadline, "ssh-keygen", args, missingHint: Hint);
        Assert.True(made.ExitCode == 0, made.ToString());
        return await Read(file, (await File.ReadAllTextAsync(file + ".pub")).Trim());
    }

    /// <summary>The fingerprints ssh-keygen prints for a public key written to <paramref name="file"/>.pub.</summary>
    public static async Task<GeneratedKey> Read(string file, string publicKey)
    {
        await File.WriteAllTextAsync(file + ".pub", publicKey + "\n");
        return new GeneratedKey(file, publicKey, (await Fingerprint(file, "md5"))["MD5:".Length..], await Fingerprint(file, "sha256"));
    }

    // "256 SHA256:abc… comment (ED25519)": the second word.
    static async Task<string> Fingerprint(string file, string hash)
    {
        var listed = await Tools.Start(Poll.DefaultDeadline, "ssh-keygen", ["-l", "-E", hash, "-f", file + ".pub"], missingHint: Hint);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return listed.Stdout.Split(' ')[1];
    }
}
