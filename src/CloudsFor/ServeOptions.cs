using System.Net;
using CloudsFor.Compute.Simulated;

namespace CloudsFor;

/// <summary>
/// `cloudsfor serve` settings: each option also reads from its CLOUDSFOR_* environment variable;
/// the command line wins. Bad values stop the start with a message, never a stack trace.
/// </summary>
public sealed record ServeOptions
{
    public string DataDir { get; init; } = "./data";
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8443);
    public bool PlainHttp { get; init; }
    /// <summary>Plain HTTP on an address other than loopback: passwords cross the network in clear, so only when asked for by name.</summary>
    public bool InsecureHttpNonLoopback { get; init; }
    public string Driver { get; init; } = "simulated";
    public int RatePerHour { get; init; } = 5000;
    public int RatePerMinute { get; init; } = 250;
    public int SignInFailuresPerUser { get; init; } = 10;
    public int SignInFailuresPerAddress { get; init; } = 100;
    public string? CatalogFile { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public SimulatedSettings Simulated { get; init; } = new();
    public double CpuOvercommit { get; init; } = 8;
    public double MemoryOvercommit { get; init; } = 1.5;
    /// <summary>Where the authoritative DNS server listens; null when it is off.</summary>
    public IPEndPoint? DnsListen { get; init; } = new(IPAddress.Loopback, 5353);
    public IReadOnlyList<string> DnsNameservers { get; init; } = Dns.DnsSettings.DefaultNameservers;

    public const string Usage = """
        usage: cloudsfor serve [options]
          --data DIR               data folder: store, certificates, VM files (CLOUDSFOR_DATA, default ./data)
          --listen HOST:PORT       address to serve on (CLOUDSFOR_LISTEN, default 127.0.0.1:8443)
          --http                   plain HTTP instead of HTTPS, on a loopback address only (CLOUDSFOR_HTTP=1)
          --insecure-http-non-loopback   let --http listen on other addresses too: passwords and tokens then cross
                                   the network in clear (CLOUDSFOR_INSECURE_HTTP_NON_LOOPBACK=1)
          --driver NAME            compute driver: simulated or qemu (CLOUDSFOR_DRIVER, default simulated)
          --rate-per-hour N        requests per caller per hour, 0 = no hourly limit (CLOUDSFOR_RATE_PER_HOUR, default 5000)
          --rate-per-minute N      requests per caller per minute, 0 = no minute limit (CLOUDSFOR_RATE_PER_MINUTE, default 250)
          --signin-failures-per-user N     failed sign-ins of one username in 15 minutes before it is locked for 15 minutes,
                                   0 = no limit (CLOUDSFOR_SIGNIN_FAILURES_PER_USER, default 10)
          --signin-failures-per-address N  the same for one client address, 0 = no limit (CLOUDSFOR_SIGNIN_FAILURES_PER_ADDRESS, default 100)
          --catalog FILE           regions, sizes and images (CLOUDSFOR_CATALOG, default DIR/catalog.json, created if missing)
          --tls-cert FILE --tls-key FILE   PEM certificate and key to use instead of the generated ones
          --sim-delay-ms N|MIN-MAX simulated driver: time each operation takes (CLOUDSFOR_SIM_DELAY_MS, default 100-500)
          --sim-fail OP[,OP]       simulated driver: operations that always fail, e.g. create (CLOUDSFOR_SIM_FAIL)
          --sim-fail-rate R        simulated driver: chance 0..1 that any operation fails (CLOUDSFOR_SIM_FAIL_RATE, default 0)
          --overcommit-cpu R       qemu driver: vCPUs per host CPU (CLOUDSFOR_OVERCOMMIT_CPU, default 8)
          --overcommit-memory R    qemu driver: guest memory per byte of host memory (CLOUDSFOR_OVERCOMMIT_MEMORY, default 1.5)
          --dns-listen HOST:PORT   authoritative DNS server for the domains, UDP and TCP, or off (CLOUDSFOR_DNS_LISTEN, default 127.0.0.1:5353)
          --dns-nameservers N[,N]  name servers new domains list in their SOA and NS records (CLOUDSFOR_DNS_NAMESERVERS, default ns1.cloudsfor.internal)
        The first start on an empty store creates the user admin with the password in CLOUDSFOR_ADMIN_PASSWORD,
        or prints a generated one once.
        """;

    static readonly Dictionary<string, string> EnvNames = new()
    {
        ["--data"] = "CLOUDSFOR_DATA", ["--listen"] = "CLOUDSFOR_LISTEN", ["--driver"] = "CLOUDSFOR_DRIVER",
        ["--rate-per-hour"] = "CLOUDSFOR_RATE_PER_HOUR", ["--rate-per-minute"] = "CLOUDSFOR_RATE_PER_MINUTE",
        ["--signin-failures-per-user"] = "CLOUDSFOR_SIGNIN_FAILURES_PER_USER", ["--signin-failures-per-address"] = "CLOUDSFOR_SIGNIN_FAILURES_PER_ADDRESS",
        ["--catalog"] = "CLOUDSFOR_CATALOG", ["--tls-cert"] = "CLOUDSFOR_TLS_CERT", ["--tls-key"] = "CLOUDSFOR_TLS_KEY",
        ["--overcommit-cpu"] = "CLOUDSFOR_OVERCOMMIT_CPU", ["--overcommit-memory"] = "CLOUDSFOR_OVERCOMMIT_MEMORY",
        ["--sim-delay-ms"] = "CLOUDSFOR_SIM_DELAY_MS", ["--sim-fail"] = "CLOUDSFOR_SIM_FAIL", ["--sim-fail-rate"] = "CLOUDSFOR_SIM_FAIL_RATE",
        ["--dns-listen"] = "CLOUDSFOR_DNS_LISTEN", ["--dns-nameservers"] = "CLOUDSFOR_DNS_NAMESERVERS",
    };

    public static ServeOptions Parse(string[] args, Func<string, string?> env)
    {
        var given = new Dictionary<string, string>();
        foreach (var (option, variable) in EnvNames)
            if (env(variable) is { Length: > 0 } value)
                given[option] = value;
        var plainHttp = env("CLOUDSFOR_HTTP") is "1" or "true";
        var insecure = env("CLOUDSFOR_INSECURE_HTTP_NON_LOOPBACK") is "1" or "true";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--http")
                plainHttp = true;
            else if (args[i] == "--insecure-http-non-loopback")
                insecure = true;
            else if (EnvNames.ContainsKey(args[i]) && i + 1 < args.Length)
                given[args[i]] = args[++i];
            else
                throw new FormatException($"unknown option or missing value: {args[i]}");
        }

        var options = new ServeOptions { PlainHttp = plainHttp, InsecureHttpNonLoopback = insecure };
        var simulated = options.Simulated;
        foreach (var (option, value) in given)
        {
            options = option switch
            {
                "--data" => options with { DataDir = value },
                "--listen" => options with { Listen = IPEndPoint.TryParse(value, out var ep) && ep.Port > 0 ? ep : throw new FormatException($"--listen: '{value}' is not HOST:PORT") },
                "--driver" => options with { Driver = value is "simulated" or "qemu" ? value : throw new FormatException($"--driver: '{value}' is not a driver (simulated, qemu)") },
                "--overcommit-cpu" => options with { CpuOvercommit = Ratio(option, value) },
                "--overcommit-memory" => options with { MemoryOvercommit = Ratio(option, value) },
                "--rate-per-hour" => options with { RatePerHour = Count(option, value) },
                "--rate-per-minute" => options with { RatePerMinute = Count(option, value) },
                "--signin-failures-per-user" => options with { SignInFailuresPerUser = Count(option, value) },
                "--signin-failures-per-address" => options with { SignInFailuresPerAddress = Count(option, value) },
                "--catalog" => options with { CatalogFile = value },
                "--tls-cert" => options with { TlsCert = value },
                "--tls-key" => options with { TlsKey = value },
                "--dns-listen" => options with { DnsListen = value == "off" ? null : IPEndPoint.TryParse(value, out var dns) && dns.Port > 0 ? dns : throw new FormatException($"--dns-listen: '{value}' is not HOST:PORT or off") },
                "--dns-nameservers" => options with { DnsNameservers = Nameservers(value) },
                _ => options,
            };
            simulated = option switch
            {
                "--sim-delay-ms" => SimulatedSettings.ParseDelay(value) is var d ? simulated with { MinDelayMs = d[0], MaxDelayMs = d[1] } : simulated,
                "--sim-fail" => simulated with { FailOperations = SimulatedSettings.ParseFailOperations(value) },
                "--sim-fail-rate" => simulated with { FailRate = double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r : throw new FormatException($"--sim-fail-rate: '{value}' is not a number from 0 to 1") },
                _ => simulated,
            };
        }
        if ((options.TlsCert is null) != (options.TlsKey is null))
            throw new FormatException("--tls-cert and --tls-key go together");
        // Basic credentials in clear must not leave the machine by accident.
        if (options.PlainHttp && !IPAddress.IsLoopback(options.Listen.Address) && !options.InsecureHttpNonLoopback)
            throw new FormatException($"--http sends passwords and tokens in clear, so it listens only on a loopback address, not {options.Listen}: " +
                                      "drop --http to serve HTTPS, or add --insecure-http-non-loopback if you really mean it");
        return options with { Simulated = simulated };
    }

    static IReadOnlyList<string> Nameservers(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => Model.DomainNames.Target("", n, hostOnly: true, out _) ?? throw new FormatException($"--dns-nameservers: '{n}' is not a fully qualified host name"))
            .Distinct().ToList();
        return names.Count > 0 ? names : throw new FormatException("--dns-nameservers: give at least one name server");
    }

    static double Ratio(string option, string value) =>
        double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var r) && r is > 0 and <= 1000 ? r : throw new FormatException($"{option}: '{value}' is not a ratio above 0");

    static int Count(string option, string value) =>
        int.TryParse(value, out var n) && n >= 0 ? n : throw new FormatException($"{option}: '{value}' is not a whole number ≥ 0");
}
