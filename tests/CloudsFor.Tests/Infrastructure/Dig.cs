namespace CloudsFor.Tests.Infrastructure;

/// <summary>One resource record as dig prints it: owner (with the trailing dot), TTL, type and data.</summary>
public sealed record DigRecord(string Name, int Ttl, string Type, string Data);

/// <summary>What dig printed for one query, read into its parts: status, header flags, the three sections, the transport used.</summary>
public sealed record DigAnswer(string Status, IReadOnlySet<string> Flags, IReadOnlyList<DigRecord> Answer, IReadOnlyList<DigRecord> Authority,
    IReadOnlyList<DigRecord> Additional, string Transport, string Output)
{
    public bool Authoritative => Flags.Contains("aa");

    public IEnumerable<string> Data(string type) => Answer.Where(r => r.Type == type).Select(r => r.Data);

    public override string ToString() => Output;
}

/// <summary>
/// dig from Debian's dnsutils (test.sh installs it), asking a test server's DNS port on 127.0.0.1
/// without recursion, once, with a short timeout: a real resolver client, as an operator would use.
/// </summary>
public static class Dig
{
    public static async Task<DigAnswer> Query(ServerProcess server, string name, string type = "A", params string[] options)
    {
        string[] args = ["@127.0.0.1", "-p", server.DnsPort.ToString(), "+norec", "+time=3", "+tries=1", .. options, name, type];
        return Parse((await Tools.Run("dig", args)).Output);
    }

    static DigAnswer Parse(string output)
    {
        var status = "";
        var flags = new HashSet<string>();
        var transport = "";
        var sections = new Dictionary<string, List<DigRecord>> { ["ANSWER"] = [], ["AUTHORITY"] = [], ["ADDITIONAL"] = [] };
        List<DigRecord>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("status: "))
                status = line.Split("status: ")[1].Split(',')[0];
            else if (line.StartsWith(";; flags:", StringComparison.Ordinal))
                flags = line[";; flags:".Length..].Split(';')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            else if (line.StartsWith(";; SERVER:", StringComparison.Ordinal))
                transport = line.Contains("(TCP)") ? "TCP" : "UDP";
            else if (line.StartsWith(";; ", StringComparison.Ordinal) && line.EndsWith(" SECTION:", StringComparison.Ordinal))
                current = sections.GetValueOrDefault(line[3..].Split(' ')[0]);
            else if (line.Length == 0 || line.StartsWith(';'))
                current = null;
            else if (current is not null)
            {
                var parts = line.Split((char[])['\t', ' '], 5, StringSplitOptions.RemoveEmptyEntries);
                current.Add(new DigRecord(parts[0], int.Parse(parts[1]), parts[3], parts.Length > 4 ? parts[4].Trim() : ""));
            }
        }
        if (status.Length == 0)
            Assert.Fail($"dig got no answer:\n{output}");
        return new DigAnswer(status, flags, sections["ANSWER"], sections["AUTHORITY"], sections["ADDITIONAL"], transport, output);
    }
}
