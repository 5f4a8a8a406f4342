using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace CloudsFor.Model;

/// <summary>A public key read from its text: the blob inside is what fingerprints are made of.</summary>
public sealed record PublicKey(string Type, byte[] Blob, string Text)
{
    /// <summary>As DigitalOcean shows it: MD5 of the blob in colon-separated lowercase hex.</summary>
    public string Md5Fingerprint => SshKeys.Md5Fingerprint(Blob);

    /// <summary>As OpenSSH prints it: "SHA256:" and unpadded base64.</summary>
    public string Sha256Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');
}

/// <summary>
/// OpenSSH public keys as a user copies them from a ~/.ssh/*.pub file: "TYPE BASE64 [COMMENT]" on one line. The blob is
/// read field by field as sshd would (RFC 4253 6.6, RFC 5656, OpenSSH's PROTOCOL.u2f): anything it would refuse would be
/// written into the VM's authorized_keys and fail there, where nobody sees why a login is refused.
/// </summary>
public static class SshKeys
{
    public static readonly string[] Types =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    public const string Format = "TYPE BASE64 [COMMENT]";
    public const int MinRsaBits = 2048;

    /// <summary>The key, or null with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static PublicKey? Parse(string line, out string problem)
    {
        problem = "";
        var text = line.Trim(' ');
        // Spaces only: tabs, like any control character, are refused before this rule is asked.
        var typeEnd = text.IndexOf(' ');
        var type = typeEnd < 0 ? text : text[..typeEnd];
        if (!Types.Contains(type))
            return Fail(out problem, type.Length == 0 ? "it is empty" : $"'{Shorten(type)}' is not a key type; TYPE is one of {string.Join(", ", Types)}");
        var rest = typeEnd < 0 ? "" : text[typeEnd..].TrimStart(' ');
        var dataEnd = rest.IndexOf(' ');
        var data = dataEnd < 0 ? rest : rest[..dataEnd];
        var comment = dataEnd < 0 ? "" : rest[dataEnd..].Trim(' ');
        if (data.Length == 0)
            return Fail(out problem, "the key data (BASE64) is missing after the type");
        var buffer = new byte[data.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(data, buffer, out var length))
            return Fail(out problem, "the key data is not valid base64");
        var blob = buffer[..length];
        problem = Check(type, new Reader(blob)) ?? "";
        if (problem.Length > 0)
            return null;
        return new PublicKey(type, blob, comment.Length == 0 ? $"{type} {data}" : $"{type} {data} {comment}");
    }

    static PublicKey? Fail(out string problem, string why)
    {
        problem = why;
        return null;
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Null when the blob is a well-formed key of <paramref name="type"/>; else why not.</summary>
    static string? Check(string type, Reader r)
    {
        try
        {
            var inner = Encoding.ASCII.GetString(r.Bytes());
            if (inner != type)
                return Types.Contains(inner)
                    ? $"the text says {type} but the key inside is {inner}"
                    : $"the key inside is not a {type} key";
            var why = type switch
            {
                "ssh-ed25519" => Ed25519(r.Bytes()),
                "sk-ssh-ed25519@openssh.com" => Ed25519(r.Bytes()) ?? Application(r.Bytes()),
                "ssh-rsa" => Rsa(r.Bytes(), r.Bytes()),
                "sk-ecdsa-sha2-nistp256@openssh.com" => Ecdsa("nistp256", r.Bytes(), r.Bytes()) ?? Application(r.Bytes()),
                _ => Ecdsa(type["ecdsa-sha2-".Length..], r.Bytes(), r.Bytes()),
            };
            return why ?? (r.Left > 0 ? $"the key data has {r.Left} bytes more than a {type} key holds" : null);
        }
        catch (EndOfKeyException)
        {
            return $"the key data ends before the {type} key does";
        }
    }

    static string? Ed25519(byte[] key) => key.Length == 32 ? null : $"an Ed25519 key is 32 bytes; this one has {key.Length}";

    static string? Application(byte[] application) =>
        application.Length > 0 && application.All(b => b is >= 0x20 and < 0x7f) ? null : "the security key's application string is empty or not text";

    static string? Rsa(byte[] e, byte[] n)
    {
        var exponent = new BigInteger(e, isUnsigned: false, isBigEndian: true);
        var modulus = new BigInteger(n, isUnsigned: false, isBigEndian: true);
        if (exponent < 3 || exponent.IsEven || modulus <= 0 || modulus.IsEven)
            return "the RSA exponent or modulus is not a valid number";
        var bits = modulus.GetBitLength();
        return bits >= MinRsaBits ? null : $"RSA keys must be at least {MinRsaBits} bits; this one has {bits}";
    }

    static string? Ecdsa(string curveName, byte[] curve, byte[] point)
    {
        var inner = Encoding.ASCII.GetString(curve);
        if (inner != curveName)
            return $"the key is for curve {curveName} but names curve '{Shorten(inner)}' inside";
        var (named, size) = curveName switch
        {
            "nistp256" => (ECCurve.NamedCurves.nistP256, 32),
            "nistp384" => (ECCurve.NamedCurves.nistP384, 48),
            _ => (ECCurve.NamedCurves.nistP521, 66),
        };
        if (point.Length != 1 + 2 * size || point[0] != 4)
            return $"the {curveName} point is not an uncompressed point of {1 + 2 * size} bytes";
        try
        {
            using var key = ECDsa.Create(new ECParameters { Curve = named, Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] } });
            return null;
        }
        catch (CryptographicException)
        {
            return $"the point is not on the curve {curveName}";
        }
    }

    public static string Md5Fingerprint(byte[] blob) => string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2")));

    /// <summary>What kind of reference to a stored key <paramref name="s"/> is (as normalized for lookup), or null for none.</summary>
    public static (string Column, string Value)? Reference(string s)
    {
        if (s.Length == 32 && s.All(char.IsAsciiHexDigitLower))
            return ("id", s);
        if (s.Length == 47 && Enumerable.Range(0, 47).All(i => i % 3 == 2 ? s[i] == ':' : char.IsAsciiHexDigit(s[i])))
            return ("fingerprint", s.ToLowerInvariant());
        // Through a URL path, a '/' of the base64 arrives still encoded; '=' padding is not part of OpenSSH's form.
        if (s.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase))
        {
            var b64 = s[7..].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase).Replace("%2B", "+", StringComparison.OrdinalIgnoreCase).TrimEnd('=');
            return b64.Length == 43 ? ("fingerprint_sha256", "SHA256:" + b64) : null;
        }
        return null;
    }

    sealed class EndOfKeyException : Exception;

    /// <summary>Length-prefixed strings, one after the other.</summary>
    sealed class Reader(byte[] blob)
    {
        int at;

        public int Left => blob.Length - at;

        public byte[] Bytes()
        {
            if (Left < 4)
                throw new EndOfKeyException();
            var length = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at));
            if (length > Left - 4)
                throw new EndOfKeyException();
            var value = blob[(at + 4)..(at + 4 + (int)length)];
            at += 4 + (int)length;
            return value;
        }
    }
}
