using System.Globalization;
using System.Net;
using CloudsFor.Compute.Simulated;

namespace CloudsFor;

/// <summary>
/// `cloudsfor serve` settings. Every option is one row of <see cref="All"/>: its name, environment variable,
/// default and meaning, from which the parser, `--help` and the test that keeps the docs in step all read.
/// The command line wins over the environment. Bad values stop the start with one line, never a stack trace.
/// </summary>
public sealed record ServeOptions
{
    public string DataDir { get; init; } = "./data";
    /// <summary>SQLite's synchronous=FULL (survives power loss, the default) or NORMAL (survives a killed process).</summary>
    public bool SqliteFullSync { get; init; } = true;
    /// <summary>The PostgreSQL store; null: SQLite in the data folder.</summary>
    public Store.DatabaseUrl? Database { get; init; }
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8443);
    public bool PlainHttp { get; init; }
    /// <summary>Plain HTTP on an address other than loopback: passwords cross the network in clear, so only when asked for by name.</summary>
    public bool InsecureHttpNonLoopback { get; init; }
    public string Driver { get; init; } = "simulated";
    /// <summary>How long a server's claim on a resource's actions outlives the server (see Work.WorkClaims).</summary>
    public TimeSpan WorkLease { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Which machine runs this server's QEMU VMs; asked for when servers share a database.</summary>
    public string? ComputeHost { get; init; }
    public int RatePerHour { get; init; } = 5000;
    public int RatePerMinute { get; init; } = 250;
    public int SignInFailuresPerUser { get; init; } = 10;
    public int SignInFailuresPerAddress { get; init; } = 100;
    public TimeSpan SessionIdle { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);
    public string? CatalogFile { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public SimulatedSettings Simulated { get; init; } = new();
    public double CpuOvercommit { get; init; } = 8;
    public double MemoryOvercommit { get; init; } = 1.5;
    /// <summary>Where the authoritative DNS server listens; null when it is off.</summary>
    public IPEndPoint? DnsListen { get; init; } = new(IPAddress.Loopback, 5353);
    public IReadOnlyList<string> DnsNameservers { get; init; } = Dns.DnsSettings.DefaultNameservers;
    public Work.EventSettings Events { get; init; } = new(TimeSpan.FromSeconds(15), 100, TimeSpan.FromHours(24));
    public Work.ImageImportSettings ImageImport { get; init; } = new(10L << 30, []);
    public Http.ConnectionSettings Connections { get; init; } = new(10_000, 2_000);

    public Work.ReconcilerSettings Reconciler { get; init; } = new(Work.Reconciler.DefaultRound);

    /// <summary>
    /// One option. <paramref name="Value"/> names what it takes (null: a switch, set by its presence or by its
    /// variable being 1 or true); <paramref name="Default"/> is shown in `--help` and the docs (null: none to show).
    /// </summary>
    public sealed record Option(string Name, string? Value, string Env, string? Default, string Help, Func<ServeOptions, string, ServeOptions> Apply);

    /// <summary>Every option, in the order `--help` lists them; adding an option is adding a row.</summary>
    public static readonly IReadOnlyList<Option> All =
    [
        new("--data", "DIR", "CLOUDSFOR_DATA", "./data", "data folder: store, catalog, certificates, VM files",
            (o, v) => o with { DataDir = v }),
        new("--sqlite-synchronous", "MODE", "CLOUDSFOR_SQLITE_SYNCHRONOUS", "full",
            "SQLite store: full (a commit survives power loss) or normal (it survives a killed process, one sync fewer per commit)",
            (o, v) => o with { SqliteFullSync = v switch { "full" => true, "normal" => false, _ => throw new FormatException($"'{v}' is not normal or full") } }),
        new("--database", "URL", "CLOUDSFOR_DATABASE", "SQLite in --data",
            "PostgreSQL store shared by several servers: postgres://USER:PASSWORD@HOST:PORT/DB[?pool_size=N&sslmode=MODE]",
            (o, v) => o with { Database = Store.DatabaseUrl.Parse(v) }),
        new("--listen", "HOST:PORT", "CLOUDSFOR_LISTEN", "127.0.0.1:8443", "address the API listens on",
            (o, v) => o with { Listen = Endpoint(v) ?? throw new FormatException($"'{v}' is not HOST:PORT") }),
        new("--http", null, "CLOUDSFOR_HTTP", null, "plain HTTP instead of HTTPS, on a loopback address only",
            (o, _) => o with { PlainHttp = true }),
        new("--insecure-http-non-loopback", null, "CLOUDSFOR_INSECURE_HTTP_NON_LOOPBACK", null,
            "let --http listen on other addresses too: passwords and tokens then cross the network in clear",
            (o, _) => o with { InsecureHttpNonLoopback = true }),
        new("--tls-cert", "FILE", "CLOUDSFOR_TLS_CERT", "generated", "PEM certificate (chain) to serve instead of the generated one; needs --tls-key",
            (o, v) => o with { TlsCert = v }),
        new("--tls-key", "FILE", "CLOUDSFOR_TLS_KEY", "generated", "PEM private key of --tls-cert",
            (o, v) => o with { TlsKey = v }),
        new("--max-connections", "N", "CLOUDSFOR_MAX_CONNECTIONS", "10000", "connections open at once; more are closed at once, 0 = no cap",
            (o, v) => o with { Connections = o.Connections with { MaxConnections = Count(v) } }),
        new("--max-connections-per-ip", "N", "CLOUDSFOR_MAX_CONNECTIONS_PER_IP", "2000",
            "connections open at once from one client address (an IPv6 /64); more are closed at once, 0 = no cap",
            (o, v) => o with { Connections = o.Connections with { MaxConnectionsPerAddress = Count(v) } }),
        new("--driver", "NAME", "CLOUDSFOR_DRIVER", "simulated", "compute driver: simulated or qemu",
            (o, v) => o with { Driver = v is "simulated" or "qemu" ? v : throw new FormatException($"'{v}' is not a driver (simulated, qemu)") }),
        new("--work-lease", "SECONDS", "CLOUDSFOR_WORK_LEASE", "15",
            "how long another server waits before taking over the actions of a server that stopped renewing its claims (3 to 600)",
            (o, v) => o with { WorkLease = int.TryParse(v, out var n) && n is >= 3 and <= 600 ? TimeSpan.FromSeconds(n) : throw new FormatException($"'{v}' is not a number of seconds from 3 to 600") }),
        new("--compute-host", "NAME", "CLOUDSFOR_COMPUTE_HOST", null,
            "the machine this server's QEMU VMs run on; needed by --driver qemu with --database (one compute host for now)",
            (o, v) => o with { ComputeHost = Model.Hostnames.IsValid(v) ? v : throw new FormatException($"'{v}' is not a host name") }),
        new("--rate-per-hour", "N", "CLOUDSFOR_RATE_PER_HOUR", "5000", "requests per caller per hour, 0 = no hourly limit",
            (o, v) => o with { RatePerHour = Count(v) }),
        new("--rate-per-minute", "N", "CLOUDSFOR_RATE_PER_MINUTE", "250", "requests per caller per minute, 0 = no minute limit",
            (o, v) => o with { RatePerMinute = Count(v) }),
        new("--signin-failures-per-user", "N", "CLOUDSFOR_SIGNIN_FAILURES_PER_USER", "10",
            "failed sign-ins of one username in 15 minutes before it is locked for 15 minutes, 0 = no limit",
            (o, v) => o with { SignInFailuresPerUser = Count(v) }),
        new("--signin-failures-per-address", "N", "CLOUDSFOR_SIGNIN_FAILURES_PER_ADDRESS", "100",
            "the same for one client address, 0 = no limit",
            (o, v) => o with { SignInFailuresPerAddress = Count(v) }),
        new("--session-idle-seconds", "N", "CLOUDSFOR_SESSION_IDLE_SECONDS", "1800", "the control panel signs a browser out after this long unused",
            (o, v) => o with { SessionIdle = Seconds(v) }),
        new("--session-lifetime-seconds", "N", "CLOUDSFOR_SESSION_LIFETIME_SECONDS", "43200", "and at the latest this long after it signed in",
            (o, v) => o with { SessionLifetime = Seconds(v) }),
        new("--catalog", "FILE", "CLOUDSFOR_CATALOG", "DIR/catalog.json", "regions, sizes and images (written with the defaults if missing)",
            (o, v) => o with { CatalogFile = v }),
        new("--sim-delay-ms", "N|MIN-MAX", "CLOUDSFOR_SIM_DELAY_MS", "100-500", "simulated driver: how long each operation takes",
            (o, v) => SimulatedSettings.ParseDelay(v) is var d ? o with { Simulated = o.Simulated with { MinDelayMs = d[0], MaxDelayMs = d[1] } } : o),
        new("--sim-fail", "OP[,OP]", "CLOUDSFOR_SIM_FAIL", null, "simulated driver: operations that always fail, e.g. create",
            (o, v) => o with { Simulated = o.Simulated with { FailOperations = SimulatedSettings.ParseFailOperations(v) } }),
        new("--sim-fail-rate", "R", "CLOUDSFOR_SIM_FAIL_RATE", "0", "simulated driver: chance 0..1 that any operation fails",
            (o, v) => o with { Simulated = o.Simulated with { FailRate = Number(v) is >= 0 and <= 1 and var r ? r : throw new FormatException($"'{v}' is not a number from 0 to 1") } }),
        new("--overcommit-cpu", "R", "CLOUDSFOR_OVERCOMMIT_CPU", "8", "qemu driver: vCPUs placed per host CPU",
            (o, v) => o with { CpuOvercommit = Ratio(v) }),
        new("--overcommit-memory", "R", "CLOUDSFOR_OVERCOMMIT_MEMORY", "1.5", "qemu driver: guest memory per byte of host memory",
            (o, v) => o with { MemoryOvercommit = Ratio(v) }),
        new("--dns-listen", "HOST:PORT|off", "CLOUDSFOR_DNS_LISTEN", "127.0.0.1:5353", "authoritative DNS server for the domains, UDP and TCP; off turns it off",
            (o, v) => o with { DnsListen = v == "off" ? null : Endpoint(v) ?? throw new FormatException($"'{v}' is not HOST:PORT or off") }),
        new("--dns-nameservers", "N[,N]", "CLOUDSFOR_DNS_NAMESERVERS", "ns1.cloudsfor.internal", "name servers new domains list in their SOA and NS records",
            (o, v) => o with { DnsNameservers = Nameservers(v) }),
        new("--events-heartbeat-seconds", "N", "CLOUDSFOR_EVENTS_HEARTBEAT_SECONDS", "15", "an idle event stream gets a comment line this often, so proxies keep it open",
            (o, v) => o with { Events = o.Events with { Heartbeat = TimeSpan.FromSeconds(Positive(v)) } }),
        new("--events-max-streams", "N", "CLOUDSFOR_EVENTS_MAX_STREAMS", "100", "event streams one account may hold open at once; more are a 429",
            (o, v) => o with { Events = o.Events with { MaxStreamsPerAccount = Positive(v) } }),
        new("--events-retention-seconds", "N", "CLOUDSFOR_EVENTS_RETENTION_SECONDS", "86400", "how long events are kept: a stream resumes with Last-Event-ID within it, else it is told to resync",
            (o, v) => o with { Events = o.Events with { Retention = TimeSpan.FromSeconds(Positive(v)) } }),
        new("--image-import-max-bytes", "N", "CLOUDSFOR_IMAGE_IMPORT_MAX_BYTES", "10737418240", "largest custom image file accepted by import from a URL or upload",
            (o, v) => o with { ImageImport = o.ImageImport with { MaxBytes = long.TryParse(v, out var n) && n > 0 ? n : throw new FormatException($"'{v}' is not a whole number ≥ 1") } }),
        new("--image-import-allow", "CIDR[,CIDR]", "CLOUDSFOR_IMAGE_IMPORT_ALLOW", null,
            "address ranges image import may download from although they are loopback, private, link-local or this host's (refused by default); repeatable",
            (o, v) => o with { ImageImport = o.ImageImport with { Allow = Networks(v) } }),
        new("--reconcile-round-seconds", "N", "CLOUDSFOR_RECONCILE_ROUND_SECONDS", "60",
            "the reconciler checks every VM once in this long, a slice each second (1 to 3600); VMs the driver reports changed are checked at once",
            (o, v) => o with { Reconciler = new(int.TryParse(v, out var n) && n is >= 1 and <= 3600 ? TimeSpan.FromSeconds(n) : throw new FormatException($"'{v}' is not a number of seconds from 1 to 3600")) }),
    ];

    /// <summary>What `cloudsfor serve --help` prints: every option with its variable and default, and the variables without an option.</summary>
    public static string Usage()
    {
        var lines = new List<string>
        {
            "usage: cloudsfor serve [options]",
            "Each option can also be set by its environment variable; the command line wins.",
        };
        foreach (var option in All)
        {
            var head = option.Value is null ? option.Name : $"{option.Name} {option.Value}";
            var env = option.Value is null ? $"{option.Env}=1" : option.Env;
            var tail = option.Default is null ? env : $"{env}, default {option.Default}";
            lines.Add($"  {head,-32} {option.Help} ({tail})");
        }
        lines.Add("environment only:");
        lines.Add($"  {"CLOUDSFOR_ADMIN_PASSWORD",-32} the password of the user admin, made by the first start on an empty store (without it,");
        lines.Add($"  {"",-32} a generated one is printed once); ignored once admin exists: see cloudsfor admin reset-password");
        return string.Join('\n', lines);
    }

    public static ServeOptions Parse(string[] args, Func<string, string?> env)
    {
        var given = new Dictionary<Option, string>();
        var listed = new HashSet<Option>();
        foreach (var option in All)
            if (env(option.Env) is { Length: > 0 } value && (option.Value is not null || value is "1" or "true"))
                given[option] = value;
        for (var i = 0; i < args.Length; i++)
        {
            var option = All.FirstOrDefault(o => o.Name == args[i])
                ?? throw new FormatException($"unknown option {args[i]} (cloudsfor serve --help lists the options)");
            if (option.Value is null)
                given[option] = "1";
            else if (i + 1 < args.Length)
                // A list option given again on the command line adds to it; the first replaces what the environment said.
                given[option] = option.Value.Contains("[,", StringComparison.Ordinal) && !listed.Add(option) ? given[option] + "," + args[++i] : args[++i];
            else
                throw new FormatException($"{option.Name} needs a value: {option.Name} {option.Value}");
        }

        var options = new ServeOptions();
        foreach (var option in All.Where(given.ContainsKey))
        {
            try
            {
                options = option.Apply(options, given[option]);
            }
            catch (FormatException e) when (!e.Message.StartsWith(option.Name, StringComparison.Ordinal))
            {
                throw new FormatException($"{option.Name}: {e.Message}");
            }
        }
        if ((options.TlsCert is null) != (options.TlsKey is null))
            throw new FormatException("--tls-cert and --tls-key go together");
        // Several servers on one database would each start the same VMs on their own machine: the qemu driver runs on
        // one compute host, and the operator says which, knowingly.
        if (options is { Driver: "qemu", Database: not null, ComputeHost: null })
            throw new FormatException("--driver qemu with --database runs every VM on one compute host: say which machine this is with " +
                                      "--compute-host NAME (VMs on several compute hosts come later: until then, one qemu server per database)");
        // Basic credentials in clear must not leave the machine by accident.
        if (options.PlainHttp && !IPAddress.IsLoopback(options.Listen.Address) && !options.InsecureHttpNonLoopback)
            throw new FormatException($"--http sends passwords and tokens in clear, so it listens only on a loopback address, not {options.Listen}: " +
                                      "drop --http to serve HTTPS, or add --insecure-http-non-loopback if you really mean it");
        return options;
    }

    static IPEndPoint? Endpoint(string value) => IPEndPoint.TryParse(value, out var ep) && ep.Port > 0 ? ep : null;

    static IReadOnlyList<string> Nameservers(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => Model.DomainNames.Target("", n, hostOnly: true, out _) ?? throw new FormatException($"'{n}' is not a fully qualified host name"))
            .Distinct().ToList();
        return names.Count > 0 ? names : throw new FormatException("give at least one name server");
    }

    static IReadOnlyList<IPNetwork> Networks(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => IPNetwork.TryParse(n, out var net) ? net : throw new FormatException($"'{n}' is not an address range such as 127.0.0.1/32"))
            .ToList();

    static double? Number(string value) => double.TryParse(value, CultureInfo.InvariantCulture, out var r) ? r : null;

    static double Ratio(string value) => Number(value) is > 0 and <= 1000 and var r ? r : throw new FormatException($"'{value}' is not a ratio above 0");

    static TimeSpan Seconds(string value) =>
        int.TryParse(value, out var n) && n is > 0 and <= 366 * 24 * 3600 ? TimeSpan.FromSeconds(n) : throw new FormatException($"'{value}' is not a number of seconds from 1 to a year");

    static int Positive(string value) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new FormatException($"'{value}' is not a whole number ≥ 1");

    static int Count(string value) =>
        int.TryParse(value, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number ≥ 0");
}
