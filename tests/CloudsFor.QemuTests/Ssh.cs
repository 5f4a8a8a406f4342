using System.Diagnostics;

namespace CloudsFor.QemuTests;

/// <summary>Key pairs made with ssh-keygen in a temporary folder, and logins with the OpenSSH client, as a user would.</summary>
public sealed class Ssh : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("cloudsfor-ssh-").FullName;

    /// <summary>A new ed25519 key pair; returns the private key's path and the public key's line.</summary>
    public async Task<(string PrivateKey, string PublicKey)> NewKey(string name)
    {
        var path = Path.Combine(folder, name);
        var (code, _, error) = await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@cloudsfor", "-f", path);
        Assert.True(code == 0, $"ssh-keygen failed: {error}");
        return (path, (await File.ReadAllTextAsync(path + ".pub")).Trim());
    }

    /// <summary>Runs a command as root on 127.0.0.1:<paramref name="port"/> with only this key: no password, no prompt, any host key.</summary>
    public static Task<(int Code, string Output, string Error)> Login(string privateKey, int port, string command) =>
        Run("ssh", "-i", privateKey, "-p", port.ToString(), "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "root@127.0.0.1", command);

    static async Task<(int, string, string)> Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
