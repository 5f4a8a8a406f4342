namespace CloudsFor.Model;

/// <summary>A DNS zone held by one account. The name is the key: no two accounts hold the same zone.</summary>
public sealed class DomainRow
{
    public string Name { get; init; } = "";
    public string AccountId { get; init; } = "";
    public int Ttl { get; init; }
    public long Serial { get; set; }
    public string CreatedAt { get; init; } = "";
    /// <summary>JSON list of the domain's tags, read with the row.</summary>
    public string TagsJson { get; init; } = "[]";
}

/// <summary>One resource record of a zone, as stored: name relative to the zone ("@" for the apex), data normalized.</summary>
public sealed class DomainRecordRow
{
    public string Id { get; init; } = "";
    public string DomainName { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Type { get; set; } = "";
    public string Name { get; set; } = "";
    public string Data { get; set; } = "";
    public int? Priority { get; set; }
    public int? Port { get; set; }
    public int Ttl { get; set; }
    public int? Weight { get; set; }
    public int? Flags { get; set; }
    public string? Tag { get; set; }
    public string CreatedAt { get; init; } = "";

    public static DomainRecordRow New(string id, string domainName, string accountId, string createdAt, DnsRecordValue value)
    {
        var row = new DomainRecordRow { Id = id, DomainName = domainName, AccountId = accountId, CreatedAt = createdAt };
        row.Set(value);
        return row;
    }

    public DnsRecordValue Value => new(Type, Name, Data, Priority, Port, Ttl, Weight, Flags, Tag);

    public void Set(DnsRecordValue value)
    {
        (Type, Name, Data, Priority, Port, Ttl, Weight, Flags, Tag) =
            (value.Type, value.Name, value.Data, value.Priority, value.Port, value.Ttl, value.Weight, value.Flags, value.Tag);
    }
}

/// <summary>What a new zone starts with: its SOA, one NS record per configured name server, and an address for the apex if given.</summary>
public static class DomainSetup
{
    public const int DefaultTtl = 1800;

    // The SOA timers DigitalOcean uses: refresh 3 h, retry 1 h, expire 1 week, negative answers cached 30 min.
    public const string SoaTimers = "10800 3600 604800 1800";

    /// <summary>
    /// Serials only grow: the next one is the current Unix time, or one more than the last when changes
    /// come faster than once a second.
    /// </summary>
    public static long NextSerial(long current, DateTimeOffset now) => Math.Min(uint.MaxValue, Math.Max(current + 1, now.ToUnixTimeSeconds()));

    public static List<DnsRecordValue> InitialRecords(string zone, IReadOnlyList<string> nameservers, int ttl, string? apexAddress)
    {
        var records = new List<DnsRecordValue> { new("SOA", "@", $"{nameservers[0]} hostmaster.{zone} 0 {SoaTimers}", null, null, ttl, null, null, null) };
        records.AddRange(nameservers.Select(ns => new DnsRecordValue("NS", "@", ns, null, null, ttl, null, null, null)));
        if (apexAddress is not null)
            records.Add(new DnsRecordValue(apexAddress.Contains(':') ? "AAAA" : "A", "@", apexAddress, null, null, ttl, null, null, null));
        return records;
    }
}

/// <summary>
/// The SOA record's data, "MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM". The serial is the
/// domain's, kept on the domain row and bumped on every change; the stored data holds 0 in its place.
/// </summary>
public readonly record struct SoaData(string MName, string RName, uint Refresh, uint Retry, uint Expire, uint Minimum)
{
    public static SoaData Parse(string data)
    {
        var f = data.Split(' ');
        return new SoaData(f[0], f[1], uint.Parse(f[3]), uint.Parse(f[4]), uint.Parse(f[5]), uint.Parse(f[6]));
    }

    public string WithSerial(long serial) => $"{MName} {RName} {serial} {Refresh} {Retry} {Expire} {Minimum}";

    public static string Shown(string storedData, long serial) => Parse(storedData).WithSerial(serial);
}
