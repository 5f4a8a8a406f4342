using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Model;

/// <summary>Object ids: 32 lowercase hex characters, random so they cannot be guessed.</summary>
public class Ids
{
    public virtual string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A stable id for an object known by name (distribution images), the same on every start.</summary>
    public static string Derived(string kind, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + name)))[..32];

    public static bool LookLikeId(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);
}
