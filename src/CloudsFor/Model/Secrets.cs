using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Model;

/// <summary>
/// Passwords get a slow salted hash (PBKDF2-SHA256). Token secrets are long random strings that must be found
/// by their hash on every new request, so they get a fast hash, keyed with the server key (<see cref="ServerKey"/>),
/// so a copy of the store alone cannot test guesses against it.
/// </summary>
public static class Secrets
{
    const int Iterations = 100_000;
    const string Scheme = "pbkdf2-sha256";

    public static string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool VerifyPassword(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations))
            return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A hash that verifies nothing, checked for unknown users so both failures take as long.</summary>
    public static readonly string DecoyHash = HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    public const string TokenPrefix = "cf_";

    public static string NewTokenSecret() => TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(ServerKey key, string secret) => ServerKey.Hash(key.Tokens, secret);

    /// <summary>How token secrets were hashed before the server key: found once more at sign-in, then hashed anew.</summary>
    public static string UnkeyedTokenHash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
}
