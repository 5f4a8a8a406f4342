// The CloudsFor benchmark (bench/run.sh builds and starts this). See bench/README.md for what it measures.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CloudsFor.Bench;
using CloudsFor.Store;
using Dapper;

var repo = FindRepo();
var options = Options.Parse(args, repo);
if (options.Compare)
    return await Compare.Run(args, options.Out!);
var serverDll = Path.Combine(repo, "src/CloudsFor/bin/Release/net10.0/cloudsfor.dll");
var ceilingDll = Path.Combine(repo, "bench/Ceiling/bin/Release/net10.0/ceiling.dll");
var lua = Path.Combine(repo, "bench/wrk/api.lua");
var work = Directory.CreateTempSubdirectory("cloudsfor-bench-").FullName;
const string AdminPassword = "bench-admin-password";
var admin = new Account("admin", AdminPassword);
var a = new Account("bench-a", "bench-a-password");
var b = new Account("bench-b", "bench-b-password");
var report = new Report();
Postgres? pg = null;

try
{
    if (options.Database == "postgres")
        pg = await Postgres.Start(FreePort());
    report.Line($"# CloudsFor benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n");
    report.Line($"Machine: {Environment.ProcessorCount} cores, load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; " +
        $"server and ceiling are Release builds, HTTPS on loopback, client on the same cores. " +
        $"Load by wrk {Version("wrk", "-v")} over HTTP/1.1 (hey for HEAD, which wrk 4.1 cannot read)" +
        (options.H2Streams > 0 ? $" and by h2load {Version("h2load", "--version")} over HTTP/2" : "") + $", {options.Duration.TotalSeconds:0} s per run, the best of {options.Rounds} runs per figure and side " +
        "(server and ceiling take turns; the best run is the one least disturbed by the machine's neighbours). " +
        $"Simulated driver with 0 ms operations, rate limits on but high (1e9 per window). Store: {StoreText()}.\n");
    if (options.Vms > 0)
        await Main(options.Vms);
    foreach (var size in options.Sizes)
        await Scaling(size);
}
finally
{
    if (pg is not null)
        await pg.DisposeAsync();
    Directory.Delete(work, recursive: true);
}
var markdown = report.Markdown(
    $"The same scenarios over HTTP/2 (TLS, ALPN h2) by h2load, against the server and the ceiling in turns like the HTTP/1.1 runs, with " +
    $"at most {options.H2Streams} request{(options.H2Streams == 1 ? "" : "s")} in flight per connection (--h2-streams; 1 keeps the load as wrk's, one " +
    "request at a time per connection). Only what h2load can send as it is: GETs over a list of paths and POST /vms with one body. " +
    "h2load gives no percentiles: mean, standard deviation and maximum of the request time. Each connection goes over the paths " +
    "from the first (wrk's script splits them between threads). Any answer not 2xx, or a request without an answer, makes the run " +
    "failed (h2load counts statuses by class only): its req/s and times are not shown. A figure's rounds are the best one unless " +
    "one failed, which is then the one shown.",
    $"Each store is seeded directly through the server's store code (users, active VMs with their completed create actions, and the " +
    $"simulated driver's rows), half of the VMs in each of two accounts, then served; figures at {Options.ScalingConnections} connections for " +
    "the account's first page, page 50 (a fixed depth), its last page, and one VM. Idle CPU: the share of one core the server uses with " +
    "no requests (the reconciler checking every VM once a minute, a slice each second), measured after its first round, which checks them all at once.");
Directory.CreateDirectory(Path.GetDirectoryName(options.Out!)!);
await File.WriteAllTextAsync(options.Out!, markdown);
if (options.Rows is not null)
    await File.WriteAllLinesAsync(options.Rows, report.Rows);
Console.WriteLine($"\nwritten to {options.Out}\n");
Console.WriteLine(markdown);
return 0;

string StoreText() => pg is null
    ? $"SQLite, synchronous={options.SqliteSynchronous.ToUpperInvariant()} (--sqlite-synchronous {options.SqliteSynchronous})"
    : $"PostgreSQL {pg.Version}, the runner's own cluster on loopback with fsync on and synchronous_commit=on (durable commits)" +
      (options.Servers == 2
          ? $", two servers on one database behind HAProxy {Version("haproxy", "-v", 2).Split('-')[0]} in TCP mode (docs/haproxy.cfg.example, roundrobin " +
            "per connection): wrk and hey drive HAProxy's port, the ceiling is reached directly"
          : ", one server");

async Task Main(int vms)
{
    var stealAtStart = HostSteal.Read();
    var data = Path.Combine(work, "main");
    var database = pg is null ? null : "bench_main";
    await using var server = await StartServer(data, database);
    var api = new Api(Origin(server.Port), Path.Combine(data, "tls", "ca.pem"));
    await Seeding.CreateUser(api, admin.Auth, a);
    await Seeding.CreateUser(api, admin.Auth, b);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Seeding.ThroughApi(api, a, vms / 2, 2, options.SeedBatch), Seeding.ThroughApi(api, b, vms - vms / 2, 2, options.SeedBatch));
    var accepted = clock.Elapsed;
    await Task.WhenAll(Seeding.UntilActive(api, a, TimeSpan.FromMinutes(10)), Seeding.UntilActive(api, b, TimeSpan.FromMinutes(10)));
    var active = clock.Elapsed;
    report.Line($"Seed: {vms:N0} VMs in two accounts through the API (POST /vms with {(options.SeedBatch == 1 ? "one name" : $"names of {options.SeedBatch}")}, 4 clients): all accepted in " +
        $"{accepted.TotalSeconds:0.0} s ({vms / accepted.TotalSeconds:0} VMs/s), all active in {active.TotalSeconds:0.0} s. " +
        $"Server RSS after seeding: {server.RssMiB():0} MiB; store on disk: {await StoreMiB(data, database):0.0} MiB.\n");

    var ids = (await api.All("/api/v1/vms", "vms", a.Auth)).Select(v => v.GetProperty("id").GetString()!).ToList();
    var actionIds = (await api.All("/api/v1/actions", "actions", a.Auth)).Select(v => v.GetProperty("id").GetString()!).ToList();
    var token = (await api.Expect(201, HttpMethod.Post, "/api/v1/tokens", a.Auth, new { name = "bench", scopes = new[] { "read", "write" } }))
        .GetProperty("token").GetProperty("token").GetString()!;
    var lastPage = (ids.Count + 19) / 20;

    var certificate = (Path.Combine(data, "tls", "server.pem"), Path.Combine(data, "tls", "server-key.pem"));
    var ceilingPort = FreePort();
    await using var ceiling = await Child.Start("dotnet", [ceilingDll, $"127.0.0.1:{ceilingPort}", certificate.Item1, certificate.Item2], "ceiling: listening");
    var ceilingApi = new Api(Origin(ceilingPort), Path.Combine(data, "tls", "ca.pem"));

    var scenarios = new (string Name, Func<Task<Workload>> Work)[]
    {
        ("GET /vms?per_page=20 (first page)", () => Fixed(new Workload("GET", ["/api/v1/vms?per_page=20"], a.Auth))),
        ($"GET /vms?per_page=20&page={lastPage} (last page)", () => Fixed(new Workload("GET", [$"/api/v1/vms?per_page=20&page={lastPage}"], a.Auth))),
        ("GET /vms/{id}", () => Fixed(new Workload("GET", ids.Select(id => $"/api/v1/vms/{id}").ToList(), a.Auth))),
        ("GET /vms/{id} (Bearer token)", () => Fixed(new Workload("GET", ids.Select(id => $"/api/v1/vms/{id}").ToList(), "Bearer " + token))),
        ("HEAD /vms", () => Fixed(new Workload("HEAD", ["/api/v1/vms"], a.Auth))),
        ("GET /actions/{id}", () => Fixed(new Workload("GET", actionIds.Select(id => $"/api/v1/actions/{id}").ToList(), a.Auth))),
        ("GET /vms without credentials (401)", () => Fixed(new Workload("GET", ["/api/v1/vms"], null, Expected: 401))),
        ("POST /vms (simulated)", () => Fixed(new Workload("POST", ["/api/v1/vms"], b.Auth,
            Body: $$"""{"name":"bench-{n}","size":"{{Seeding.Size}}","image":"{{Seeding.Image}}"}""", Expected: 202))),
        ("POST /vms/{id}/actions (power_off / power_on)", async () => new Workload("POST", await PowerPaths(api, a), a.Auth, Power: true, Expected: 201)),
        // What a busy cloud sees: mostly reads, some creates, on one account.
        ("mixed: 90 % GET /vms/{id}, 10 % POST /vms", () => Fixed(new Workload("GET", ids.Select(id => $"/api/v1/vms/{id}").ToList(), a.Auth,
            WriteEvery: 10, WritePath: "/api/v1/vms", WriteBody: $$"""{"name":"mixed-{n}","size":"{{Seeding.Size}}","image":"{{Seeding.Image}}"}"""))),
    };
    foreach (var (name, make) in scenarios.Where(s => options.Runs(s.Name)))
    {
        var sample = await make();
        await SetCeilingBody(ceilingApi, api, sample);
        // Warm-up of both sides: the JIT's optimized code takes some seconds of traffic to arrive, more for the server's many paths.
        // The server's in several runs at the most connections measured: every run opens and closes its connections, and the
        // code that does it reaches its optimized form only after some dozens of them (one 8 s run at 16 connections left the
        // JIT recompiling it for 230-280 ms of a core in the first second of the first measured run).
        for (var run = 0; run < Options.ServerWarmUpRuns; run++)
            await Load.Run(api.Origin, sample, options.Connections.Max(), Options.ServerWarmUp / Options.ServerWarmUpRuns, lua);
        await Load.Run(ceilingApi.Origin, sample, 16, Options.WarmUp, lua);
        foreach (var connections in options.Connections)
        {
            var (run, drained, top, post) = await Turns(make, (origin, w) => Load.Run(origin, w, connections, options.Duration, lua), m => m.Rps);
            report.Load(name, connections, run, top);
            if (post)
            {
                var refused = run.Refused == 0 ? "" :
                    $", {run.Refused:N0} refused (409: the VM still locked by its previous action, the worker behind; then 422 for the action after it)";
                var answered = run.Requests - run.Errors - run.Refused;
                var what = sample.WriteEvery > 0 ? $"{answered:N0} requests answered as expected, {run.Requests / sample.WriteEvery:N0} of them creates" : $"{answered:N0} actions accepted";
                report.Note($"{name} at {connections} connections: {what}{refused}; " +
                    $"the worker finished them {drained.TotalSeconds:0.0} s after the run.");
            }
        }
        if (options.H2Streams == 0 || !H2Load.Fits(sample))
            continue;
        // Kestrel's HTTP/2 code has not run yet on either side: its own warm-up, and the worker done with what it accepted.
        await H2Load.Run(api.Origin, sample, 16, options.H2Streams, Options.WarmUp);
        if (sample.Method == "POST")
            await Drained(api, b);
        await H2Load.Run(ceilingApi.Origin, sample, 16, options.H2Streams, Options.WarmUp);
        foreach (var connections in options.Connections)
        {
            // A failed round ranks first, so that it is the one shown: a failure is never hidden behind a clean round.
            var (run, drained, top, post) = await Turns(make, (origin, w) => H2Load.Run(origin, w, connections, options.H2Streams, options.Duration),
                m => m.Failed ? double.PositiveInfinity : m.Rps);
            report.Http2(name, connections, options.H2Streams, run, top);
            if (post && !run.Failed)
                report.Http2Note($"{name} at {connections} connections: {run.Requests:N0} accepted; the worker finished them {drained.TotalSeconds:0.0} s after the run.");
        }
    }
    report.Note($"Server RSS at the end: {server.RssMiB():0} MiB; store on disk: {await StoreMiB(data, database):0.0} MiB.");
    report.Note($"Steal time from the seeding to here: {HostSteal.Percent(stealAtStart, HostSteal.Read()):0.0} % of the machine's CPU time " +
        "(what the hypervisor gave other guests; the ceiling column shows its effect run by run).");

    // The machine is shared with others: the two sides take turns, and each side's best turn by rank counts, the one least
    // disturbed by a neighbour. After a run that wrote, the worker still carries out what was accepted: how long until it is
    // all done (before the ceiling runs) is the drain time of the server's counted run.
    async Task<(T Run, TimeSpan Drained, T Top, bool Post)> Turns<T>(Func<Task<Workload>> make, Func<string, Workload, Task<T>> load, Func<T, double> rank)
        where T : class
    {
        (T Run, TimeSpan Drain)? best = null;
        T? top = null;
        var post = false;
        for (var round = 0; round < options.Rounds; round++)
        {
            var workload = await make();
            post = workload.Method == "POST" || workload.WriteEvery > 0;
            var measured = await load(api.Origin, workload);
            var drain = Stopwatch.StartNew();
            if (post)
                await WorkerDone(data, database);
            var drained = drain.Elapsed;
            if (post)
                await Drained(api, workload.Power || workload.WriteEvery > 0 ? a : b);
            if (best is null || rank(measured) > rank(best.Value.Run))
                best = (measured, drained);
            var ceilingRun = await load(ceilingApi.Origin, workload);
            if (top is null || rank(ceilingRun) > rank(top))
                top = ceilingRun;
        }
        return (best!.Value.Run, best.Value.Drain, top!, post);
    }
}

async Task Scaling(int vms)
{
    var data = Path.Combine(work, $"scale-{vms}");
    Directory.CreateDirectory(data);
    var catalog = Path.Combine(data, "catalog.json");
    Seeding.WriteCatalog(catalog);
    var database = pg is null ? null : $"bench_scale_{vms}";
    StoreEngine engine = pg is null
        ? new SqliteEngine(Path.Combine(data, "cloudsfor.db"))
        : new PostgresEngine(DatabaseUrl.Parse(await pg.CreateDatabase(database!)));
    var clock = Stopwatch.StartNew();
    await Seeding.Direct(data, engine, catalog, AdminPassword, [a, b], vms / 2);
    var seeded = clock.Elapsed;
    await using (var server = await StartServer(data, database))
    {
        // The first reconciler pass reads every VM's state from the driver: measure after it.
        await server.Settle();
        var idle = await server.IdleCpu(TimeSpan.FromSeconds(5));
        var api = new Api(Origin(server.Port), Path.Combine(data, "tls", "ca.pem"));
        var first = (await api.Expect(200, HttpMethod.Get, "/api/v1/vms?per_page=20", a.Auth)).GetProperty("vms")[0].GetProperty("id").GetString();
        var last = (vms / 2 + 19) / 20;
        var runs = new List<(string, Measured)>();
        foreach (var (name, path) in new[] { ("page 1", "/api/v1/vms?per_page=20"), ("page 50", "/api/v1/vms?per_page=20&page=50"),
                     ($"last page", $"/api/v1/vms?per_page=20&page={last}"), ("one VM", $"/api/v1/vms/{first}") })
        {
            var workload = new Workload("GET", [path], a.Auth);
            await Load.Run(api.Origin, workload, Options.ScalingConnections, Options.WarmUp, lua);
            Measured? best = null;
            for (var round = 0; round < options.Rounds; round++)
                if (await Load.Run(api.Origin, workload, Options.ScalingConnections, options.Duration, lua) is var run && (best is null || run.Rps > best.Rps))
                    best = run;
            runs.Add((name, best!));
        }
        report.Scaling(vms, seeded, await StoreMiB(data, database), server.RssMiB(), idle, runs);
    }
    Directory.Delete(data, recursive: true);
}

static Task<Workload> Fixed(Workload w) => Task.FromResult(w);

// Every VM of the account, each with the power action its current state allows, once the worker has finished what was asked before.
async Task<IReadOnlyList<string>> PowerPaths(Api api, Account account) =>
    (await Drained(api, account)).Select(v => $"/api/v1/vms/{v.GetProperty("id").GetString()}/actions\t{(v.GetProperty("status").GetString() == "off" ? "power_on" : "power_off")}").ToList();

// The account's VMs once none is locked (new or acted on): the worker has caught up.
async Task<List<System.Text.Json.JsonElement>> Drained(Api api, Account account)
{
    for (var i = 0; i < 3000; i++)
    {
        var vms = await api.All("/api/v1/vms", "vms", account.Auth);
        if (vms.All(v => !v.GetProperty("locked").GetBoolean()))
            return vms;
        await Task.Delay(100);
    }
    throw new TimeoutException("VM actions did not drain within 5 minutes");
}

// The ceiling answers with exactly the status and bytes the API gave for the scenario's first request.
async Task SetCeilingBody(Api ceilingApi, Api api, Workload w)
{
    var line = w.Paths[0].Split('\t');
    var body = w.Power ? $$"""{"type":"{{line[1]}}"}""" : w.Body?.Replace("{n}", "sample");
    var (status, bytes) = await api.Send(new HttpMethod(w.Method == "HEAD" ? "GET" : w.Method), line[0], w.Auth, body);
    if (status != w.Expected)
        throw new InvalidOperationException($"{w.Method} {line[0]} answered {status}, not {w.Expected}: {Encoding.UTF8.GetString(bytes)}");
    await ceilingApi.Send(HttpMethod.Put, $"/__body?status={status}", null, Encoding.UTF8.GetString(bytes));
}

// One server, or with --servers 2 two on one PostgreSQL database behind HAProxy, whose port is then the one to drive.
// database: the PostgreSQL database's name (created on the first start), null for SQLite in the data folder.
async Task<Server> StartServer(string data, string? database)
{
    Directory.CreateDirectory(data);
    var catalog = Path.Combine(data, "catalog.json");
    if (!File.Exists(catalog))
        Seeding.WriteCatalog(catalog);
    string? url = null;
    if (pg is not null && database is not null)
        url = await DatabaseExists(database) ? pg.Url(database) : await pg.CreateDatabase(database);
    var first = await StartOne(data, catalog, url, tls: []);
    if (options.Servers == 1)
        return new Server(first.Port, [first.Child], null);
    try
    {
        // The same certificate on both, so that a client trusts the first one's CA whichever server HAProxy picks.
        var data2 = data + "-server2";
        Directory.CreateDirectory(data2);
        // Servers on one database share one server key (their token hashes are keyed with it).
        File.Copy(Path.Combine(data, "server.key"), Path.Combine(data2, "server.key"), overwrite: true);
        // Until the simulated driver keeps its VMs in the store, both servers read and write one folder of VM files, so
        // that either can carry out an action on a VM the other created (each still caches the states it has read).
        Directory.CreateDirectory(Path.Combine(data, "simulated"));
        if (!Directory.Exists(Path.Combine(data2, "simulated")))
            Directory.CreateSymbolicLink(Path.Combine(data2, "simulated"), Path.Combine(data, "simulated"));
        var second = await StartOne(data2, catalog, url,
            tls: ["--tls-cert", Path.Combine(data, "tls", "server.pem"), "--tls-key", Path.Combine(data, "tls", "server-key.pem")]);
        var port = FreePort();
        var haproxy = await Balancer.Start(repo, port, [first.Port, second.Port]);
        return new Server(port, [first.Child, second.Child], haproxy);
    }
    catch
    {
        await first.Child.DisposeAsync();
        throw;
    }
}

async Task<(Child Child, int Port)> StartOne(string data, string catalog, string? url, string[] tls)
{
    var port = FreePort();
    string[] store = url is null ? ["--sqlite-synchronous", options.SqliteSynchronous] : ["--database", url];
    var child = await Child.Start("dotnet", [serverDll, "serve", "--data", data, "--listen", $"127.0.0.1:{port}", "--dns-listen", "off", "--catalog", catalog,
        "--sim-delay-ms", "0", "--rate-per-minute", "1000000000", "--rate-per-hour", "1000000000", .. store, .. tls], "cloudsfor: listening on",
        new Dictionary<string, string> { ["CLOUDSFOR_ADMIN_PASSWORD"] = AdminPassword });
    return (child, port);
}

// A scaling run's database was made by the direct seeding before the server starts.
async Task<bool> DatabaseExists(string database)
{
    try
    {
        await using var connection = new Npgsql.NpgsqlConnection(DatabaseUrl.Parse(pg!.Url(database)).ConnectionString);
        await connection.OpenAsync();
        return true;
    }
    catch (Npgsql.PostgresException e) when (e.SqlState == "3D000")
    {
        return false;
    }
}

// The worker has carried out every accepted action: none is in progress in the store. Asked of the store itself (one step
// in a partial index), since listing every VM through the API to see that none is locked took seconds once the account
// held tens of thousands, and that time was reported as the worker's.
async Task WorkerDone(string data, string? database)
{
    await using System.Data.Common.DbConnection connection = pg is not null && database is not null
        ? new Npgsql.NpgsqlConnection(DatabaseUrl.Parse(pg.Url(database)).ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "cloudsfor.db")};Mode=ReadOnly");
    await connection.OpenAsync();
    for (var i = 0; i < 15000; i++)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM actions WHERE status = 'in-progress'") == 0)
            return;
        await Task.Delay(20);
    }
    throw new TimeoutException("VM actions did not drain within 5 minutes");
}

async Task<double> StoreMiB(string data, string? database) =>
    pg is not null && database is not null
        ? await pg.SizeMiB(database)
        : new[] { "cloudsfor.db", "cloudsfor.db-wal", "cloudsfor.db-shm" }.Select(f => Path.Combine(data, f)).Where(File.Exists)
            .Sum(f => new FileInfo(f).Length) / 1048576.0;

static string Origin(int port) => $"https://127.0.0.1:{port}";

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CloudsFor.slnx")))
            return dir.FullName;
    throw new InvalidOperationException("run the benchmark from inside the repository (bench/run.sh)");
}

static string Version(string file, string arg, int word = 1)
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(word)?.Trim() ?? "?";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "(missing)";
    }
}

/// <summary>The server(s) under test and, with two, HAProxy in front: <paramref name="Port"/> is where clients go.</summary>
sealed record Server(int Port, IReadOnlyList<Child> Servers, Child? Balancer) : IAsyncDisposable
{
    public double RssMiB() => Servers.Sum(s => s.RssMiB());

    public async Task Settle()
    {
        foreach (var s in Servers)
            await s.Settle();
    }

    /// <summary>The servers' idle CPU together, in shares of one core.</summary>
    public async Task<double> IdleCpu(TimeSpan period) => (await Task.WhenAll(Servers.Select(s => s.IdleCpu(period)))).Sum();

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("CF_DEBUG") == "1")
            foreach (var s in Servers)
                File.WriteAllText(Path.Combine(Path.GetTempPath(), $"cloudsfor-bench-server-{s.Pid}.log"), s.Output);
        if (Balancer is not null)
            await Balancer.DisposeAsync();
        foreach (var s in Servers)
            await s.DisposeAsync();
    }
}

sealed record Options(TimeSpan Duration, int Rounds, int[] Connections, int Vms, int[] Sizes, string? Out, string? Only = null,
    string Database = "sqlite", int Servers = 1, string SqliteSynchronous = "full", bool Compare = false, string? Rows = null,
    int SeedBatch = 10, int H2Streams = 1)
{
    public const int ScalingConnections = 16;
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan ServerWarmUp = TimeSpan.FromSeconds(8);
    public const int ServerWarmUpRuns = 4;

    public static Options Parse(string[] args, string repo)
    {
        var o = new Options(TimeSpan.FromSeconds(4), 2, [1, 16, 64], 10_000, [1_000, 10_000, 100_000], null);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--compare-stores")
            {
                o = o with { Compare = true };
                i--;
                continue;
            }
            if (i + 1 == args.Length)
                throw new ArgumentException($"{args[i]} needs a value; see bench/README.md");
            var v = args[i + 1];
            int[] Ints() => v is "none" ? [] : v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            o = args[i] switch
            {
                "--duration" => o with { Duration = TimeSpan.FromSeconds(int.Parse(v, CultureInfo.InvariantCulture)) },
                "--rounds" => o with { Rounds = Math.Max(1, int.Parse(v, CultureInfo.InvariantCulture)) },
                "--connections" => o with { Connections = Ints() },
                "--vms" => o with { Vms = int.Parse(v, CultureInfo.InvariantCulture) },
                "--sizes" => o with { Sizes = Ints() },
                "--out" => o with { Out = Path.GetFullPath(v) },
                "--only" => o with { Only = v },
                "--database" => o with { Database = v is "sqlite" or "postgres" ? v : throw new ArgumentException("--database is sqlite or postgres") },
                "--servers" => o with { Servers = v is "1" or "2" ? int.Parse(v, CultureInfo.InvariantCulture) : throw new ArgumentException("--servers is 1 or 2") },
                "--sqlite-synchronous" => o with { SqliteSynchronous = v is "normal" or "full" ? v : throw new ArgumentException("--sqlite-synchronous is normal or full") },
                "--rows" => o with { Rows = Path.GetFullPath(v) },
                "--h2-streams" => o with { H2Streams = int.Parse(v, CultureInfo.InvariantCulture) is var m and >= 0 and <= 100 ? m : throw new ArgumentException("--h2-streams is 0 (no HTTP/2 runs) to 100") },
                "--seed-batch" => o with { SeedBatch = int.Parse(v, CultureInfo.InvariantCulture) is var n and >= 1 and <= 100 ? n : throw new ArgumentException("--seed-batch is 1 to 100") },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        if (o.Servers == 2 && o.Database != "postgres")
            throw new ArgumentException("--servers 2 shares one PostgreSQL database: add --database postgres");
        return o with { Out = o.Out ?? Path.Combine(repo, "bench", "results", o.Compare ? "stores.md" : "latest.md") };
    }

    /// <summary>--only TEXT[|TEXT…]: the scenarios whose name contains any of them.</summary>
    public bool Runs(string scenario) =>
        Only is null || Only.Split('|').Any(text => scenario.Contains(text, StringComparison.OrdinalIgnoreCase));
}
