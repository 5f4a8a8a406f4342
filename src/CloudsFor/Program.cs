using System.Security.Cryptography.X509Certificates;
using CloudsFor;
using CloudsFor.Admin;
using CloudsFor.Api;
using CloudsFor.Compute;
using CloudsFor.Compute.Qemu;
using CloudsFor.Compute.Simulated;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Start;
using CloudsFor.Store;
using CloudsFor.Work;

// One program: serve and admin are the server's, every other command is the client's (src/CloudsFor.Cli).
var serverCommand = args is ["serve" or "admin", ..];
// Help anywhere on a server command's line wins over everything else on it, so `./serve.sh --data x --help` helps too.
if (args is [] or ["--help" or "-h", ..] || (serverCommand && (args.Contains("--help") || args.Contains("-h"))))
{
    Console.WriteLine(args.FirstOrDefault() switch
    {
        "serve" => ServeOptions.Usage(),
        "admin" => ResetPassword.Usage,
        _ => $"""
              usage: cloudsfor COMMAND [ARGUMENTS] [OPTIONS]
              Server commands:
                serve        run the API server (its options below)
                admin        operator tasks on a data folder (below)
              {CloudsFor.Cli.Cli.Overview()}

              {ServeOptions.Usage()}

              {ResetPassword.Usage}
              """,
    });
    return 0;
}
if (!serverCommand && CloudsFor.Cli.Cli.Handles(args[0]))
    return await CloudsFor.Cli.Cli.RunAsync(args);

ServeOptions options;
Catalog catalog;
ServerKey serverKey;
X509Certificate2? certificate;
Db db;
try
{
    if (args[0] == "admin")
        return await ResetPassword.Run(args[1..], Environment.GetEnvironmentVariable, Console.In, Console.Out);
    if (args[0] != "serve")
        throw new StartFailure($"unknown command {args[0]} (cloudsfor --help lists the commands)");
    try
    {
        options = ServeOptions.Parse(args[1..], Environment.GetEnvironmentVariable);
    }
    catch (FormatException e)
    {
        throw new StartFailure(e.Message);
    }
    // Cheapest and most likely first; nothing is written to the store before the port is known to be free.
    StartChecks.DataFolder(options.DataDir);
    StartChecks.Port(options.Listen);
    catalog = StartChecks.Catalog(options);
    serverKey = StartChecks.ServerKey(options.DataDir);
    certificate = options.PlainHttp ? null : StartChecks.Certificate(options, Console.WriteLine);
    db = new Db(options.Database is { } url ? new PostgresEngine(url) : new SqliteEngine(Path.Combine(options.DataDir, "cloudsfor.db"), options.SqliteFullSync));
    await StartChecks.Store(db.Engine, async () =>
    {
        await StoreSetup.Prepare(db, catalog, TimeProvider.System, Environment.GetEnvironmentVariable, Console.WriteLine);
        if (await StoreSetup.ClaimServerKey(db, serverKey) is not null)
                throw new StartFailure($"{Path.Combine(options.DataDir, "server.key")} is not the key this store's tokens and sessions were made with: " +
                                   "servers that share a database share one server.key (copy it from the data folder of the first server), " +
                                   "and a restored store needs the server.key backed up with it");
    });
}
catch (StartFailure e)
{
    Console.Error.WriteLine($"cloudsfor: {e.Message}");
    return 2;
}

// The content root is the program's folder, and configuration files are not watched: by default ASP.NET Core watches
// the working directory with all its subfolders, where the data folder usually is, and every write to the store or
// a VM's files woke the watcher.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    ContentRootPath = AppContext.BaseDirectory,
    Args = ["--hostBuilder:reloadConfigOnChange=false"],
});
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
// One line per request is noise for an operator (and the benchmark); errors still show.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
// This category only logs each request's start and end; while it is on at any level, ASP.NET Core makes a tracing Activity for every request.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

builder.Services.AddSingleton(db);
if (db.Engine is PostgresEngine)
{
    builder.Services.AddHostedService<CommitListener>();
    builder.Services.AddHostedService<RateShare>();
}
builder.Services.AddSingleton(serverKey);
builder.Services.AddSingleton(catalog);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Ids>();
builder.Services.AddSingleton(new RateLimitSettings(options.RatePerHour, options.RatePerMinute));
builder.Services.AddSingleton<RateLimits>();
builder.Services.AddSingleton(new SignInLimits(options.SignInFailuresPerUser, options.SignInFailuresPerAddress));
builder.Services.AddSingleton<SignInThrottle>();
builder.Services.AddSingleton(new SessionSettings(options.SessionIdle, options.SessionLifetime));
builder.Services.AddSingleton<Sessions>();
builder.Services.AddSingleton<Authentication>();
builder.Services.AddSingleton<Idempotency>();
builder.Services.AddSingleton<ActionQueue>();
builder.Services.AddSingleton(new WorkClaimSettings(options.WorkLease));
builder.Services.AddSingleton<WorkClaims>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkClaims>());
builder.Services.AddSingleton<ActionIntake>();
builder.Services.AddSingleton<VolumeIntake>();
builder.Services.AddSingleton<VolumeWork>();
builder.Services.AddSingleton<SnapshotIntake>();
builder.Services.AddSingleton<SnapshotWork>();
builder.Services.AddSingleton<VmDocuments>();
builder.Services.AddSingleton<VmPages>();
builder.Services.AddSingleton<VmPageStarts>();
if (!CloudsFor.Dns.DnsSetup.Add(builder.Services, new CloudsFor.Dns.DnsSettings(options.DnsListen, options.DnsNameservers)))
    return 2;
if (options.Driver == "qemu")
{
    if (HostTools.MissingPackages() is { Count: > 0 } missing)
    {
        Console.Error.WriteLine($"cloudsfor: the qemu driver needs programs from these Debian packages: apt-get install {string.Join(' ', missing)}");
        return 2;
    }
    builder.Services.AddSingleton(new QemuSettings(Path.GetFullPath(Path.Combine(options.DataDir, "qemu")),
        Path.Combine(AppContext.BaseDirectory, "images", "tiny", "build.sh"), options.CpuOvercommit, options.MemoryOvercommit));
    builder.Services.AddSingleton<BootImages>();
    builder.Services.AddSingleton<RegionSwitches>();
    builder.Services.AddSingleton<Accelerator>();
    builder.Services.AddSingleton<IComputeDriver, QemuDriver>();
}
else
{
    builder.Services.AddSingleton<IComputeDriver>(await SimulatedDriver.Start(db, Path.Combine(options.DataDir, "simulated"), options.Simulated));
}
builder.Services.AddSingleton(options.ImageImport with { Folder = Path.GetFullPath(Path.Combine(options.DataDir, "images")) });
builder.Services.AddSingleton<ImageImports>();
builder.Services.AddHostedService(s => s.GetRequiredService<ImageImports>());
builder.Services.AddSingleton(options.Events);
builder.Services.AddSingleton<EventHub>();
builder.Services.AddHostedService(s => s.GetRequiredService<EventHub>());
builder.Services.AddHostedService<ActionWorker>();
builder.Services.AddSingleton(options.Reconciler);
builder.Services.AddHostedService<Reconciler>();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
    ConnectionLimits.Apply(kestrel.Limits, options.Connections);
    kestrel.Listen(options.Listen, listen => ConnectionLimits.Configure(listen, certificate, options.Connections));
});

var app = builder.Build();
app.Use(RequestIds.Middleware);
app.Use(ErrorBodies.Middleware);
app.Use(PanelFiles.Middleware);
app.UseRouting();
app.Use(Authentication.Identify);
app.Use(app.Services.GetRequiredService<RateLimits>().Middleware);
app.Use(Authentication.Authorize);
app.Use(app.Services.GetRequiredService<Idempotency>().Middleware);

app.MapCloudsForApi();
await Reconciler.RemoveOrphans(db, app.Services.GetRequiredService<IComputeDriver>(), app.Logger);

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"cloudsfor: listening on {(options.PlainHttp ? "http" : "https")}://{options.Listen} (driver {options.Driver}, data {Path.GetFullPath(options.DataDir)})"));
try
{
    await app.StartAsync();
}
catch (IOException e)
{
    // Another program took the port between StartChecks.Port and now.
    Console.Error.WriteLine($"cloudsfor: cannot listen on {options.Listen}: {StartFailure.Reason(e)} (choose another with --listen HOST:PORT)");
    return 2;
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();
db.Dispose();
return 0;
