using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Model;

/// <summary>
/// A random key kept in the data folder (`server.key`, owner-readable only), never in the store. Values that
/// must be found again but must not be computable from a copy of the database alone are keyed hashes with
/// keys derived from it: token and session secrets and idempotent request fingerprints (whose bodies may hold passwords).
/// Servers that share one store must share this file.
/// </summary>
public sealed class ServerKey
{
    const string FileName = "server.key";

    ServerKey(byte[] key)
    {
        Tokens = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("cloudsfor token secrets"));
        Requests = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("cloudsfor idempotent requests"));
        Sessions = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("cloudsfor browser sessions"));
        Csrf = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("cloudsfor anti-forgery tokens"));
        Check = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 16, info: Encoding.UTF8.GetBytes("cloudsfor key check")));
    }

    /// <summary>
    /// Names the key without giving it away (a one-way derivation): kept in the store, so a server started with another
    /// key than the store's other servers (which could verify none of their tokens) refuses to start.
    /// </summary>
    public string Check { get; }

    /// <summary>The key of the hashes of token secrets.</summary>
    public byte[] Tokens { get; }

    /// <summary>The key of request fingerprints kept with Idempotency-Keys.</summary>
    public byte[] Requests { get; }

    /// <summary>The key of the hashes of browser session secrets (the cookie's value).</summary>
    public byte[] Sessions { get; }

    /// <summary>The key that derives a session's anti-forgery token from its secret, so the token need not be stored.</summary>
    public byte[] Csrf { get; }

    public static ServerKey LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            // Written whole under another name first, so a crash never leaves a short key that the next start would use.
            var temp = path + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temp, create))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path);
        }
        var key = new byte[32];
        return Convert.TryFromBase64String(File.ReadAllText(path).Trim(), key, out var length) && length == 32
            ? new ServerKey(key)
            : throw new InvalidOperationException($"{path} is not a server key (base64 of 32 bytes): restore it from a backup of the data folder");
    }

    /// <summary>A keyed SHA-256 of text, as lowercase hex.</summary>
    public static string Hash(byte[] key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}
