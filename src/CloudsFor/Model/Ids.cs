using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Model;

/// <summary>
/// Object ids: 32 lowercase hex characters. The first 12 are the time of creation in milliseconds and the other 20 random
/// (80 bits, so they still cannot be guessed): new rows then go at the end of every index keyed by an id (the table's
/// own, actions by resource) instead of anywhere in it, which keeps the pages a write touches few and cached.
/// </summary>
public class Ids
{
    public virtual string New()
    {
        // The layout of a UUIDv7 without its version bits: big-endian milliseconds, then randomness.
        Span<byte> id = stackalloc byte[16];
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8)
            id[i] = (byte)ms;
        RandomNumberGenerator.Fill(id[6..]);
        return Convert.ToHexStringLower(id);
    }

    /// <summary>A stable id for an object known by name (distribution images), the same on every start.</summary>
    public static string Derived(string kind, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + name)))[..32];

    public static bool LookLikeId(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);
}
