using System.Buffers.Binary;
using System.Text;

namespace CloudsFor.Model;

/// <summary>
/// OpenSSH public keys as a user copies them from a ~/.ssh/*.pub file: "TYPE BASE64 [COMMENT]" on one line,
/// the decoded key beginning with its own type as a length-prefixed string. Anything else would be written
/// into the VM's authorized_keys and fail there, where nobody sees why a login is refused.
/// </summary>
public static class SshKeys
{
    public static readonly string[] Types =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    public const string Format = "TYPE BASE64 [COMMENT]";

    public static bool IsPublicKey(string line)
    {
        var text = line.AsSpan();
        // Spaces only: tabs, like any control character, are refused before this rule is asked.
        var typeEnd = text.IndexOf(' ');
        if (typeEnd <= 0)
            return false;
        var type = text[..typeEnd].ToString();
        if (!Types.Contains(type))
            return false;
        var rest = text[typeEnd..].TrimStart(' ');
        var dataEnd = rest.IndexOf(' ');
        var data = dataEnd < 0 ? rest : rest[..dataEnd];
        var blob = new byte[data.Length * 3 / 4 + 3];
        if (data.Length == 0 || !Convert.TryFromBase64Chars(data, blob, out var length))
            return false;
        // The blob starts with uint32 length + type name, then the key itself.
        var name = Encoding.ASCII.GetBytes(type);
        return length > 4 + name.Length
            && BinaryPrimitives.ReadUInt32BigEndian(blob) == name.Length
            && blob.AsSpan(4, name.Length).SequenceEqual(name);
    }
}
