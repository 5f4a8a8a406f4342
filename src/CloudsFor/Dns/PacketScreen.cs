using System.Buffers.Binary;

namespace CloudsFor.Dns;

/// <summary>
/// Looks at a packet's 12-byte header before the library parses it, so hostile packets cost next to
/// nothing: too short or a response (never answered, so no reflection loops) is dropped; another
/// opcode than QUERY gets NOTIMP; section counts a query cannot have get FORMERR. Both replies are a
/// bare header, never larger than what came in.
/// </summary>
public static class PacketScreen
{
    public const int HeaderLength = 12;
    public const byte FormErr = 1;
    public const byte NotImp = 4;

    public enum Verdict { Pass, Drop, FormatError, NotImplemented }

    public static Verdict Check(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderLength || (packet[2] & 0x80) != 0)
            return Verdict.Drop;
        if (((packet[2] >> 3) & 0x0F) != 0)
            return Verdict.NotImplemented;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        // One question (RFC 9619); the additional section holds at most an OPT and a TSIG record.
        return questions == 1 && answers == 0 && authority == 0 && additional <= 2 ? Verdict.Pass : Verdict.FormatError;
    }

    /// <summary>A header-only answer: the query's id, opcode and RD flag, QR set, the given RCODE, empty sections.</summary>
    public static byte[] Reply(ReadOnlySpan<byte> query, byte rcode)
    {
        var reply = new byte[HeaderLength];
        reply[0] = query[0];
        reply[1] = query[1];
        reply[2] = (byte)(0x80 | (query[2] & 0x79));
        reply[3] = rcode;
        return reply;
    }

    public static byte Rcode(Verdict verdict) => verdict == Verdict.NotImplemented ? NotImp : FormErr;
}
