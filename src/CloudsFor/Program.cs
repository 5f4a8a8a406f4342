using CloudsFor;
using CloudsFor.Api;
using CloudsFor.Compute;
using CloudsFor.Compute.Qemu;
using CloudsFor.Compute.Simulated;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

if (args.Length == 0 || args[0] != "serve")
{
    Console.Error.WriteLine(ServeOptions.Usage);
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
ServeOptions options;
Catalog catalog;
ServerKey serverKey;
try
{
    options = ServeOptions.Parse(args[1..], Environment.GetEnvironmentVariable);
    catalog = Catalog.LoadOrCreate(options.CatalogFile ?? Path.Combine(options.DataDir, "catalog.json"));
    Directory.CreateDirectory(options.DataDir);
    serverKey = ServerKey.LoadOrCreate(options.DataDir);
}
catch (Exception e) when (e is FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cloudsfor: {e.Message}\n\n{ServeOptions.Usage}");
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
var db = new Db(Path.Combine(options.DataDir, "cloudsfor.db"));
await StoreSetup.Prepare(db, catalog, TimeProvider.System, Environment.GetEnvironmentVariable, Console.WriteLine);

builder.Services.AddSingleton(db);
builder.Services.AddSingleton(serverKey);
builder.Services.AddSingleton(catalog);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Ids>();
builder.Services.AddSingleton(new RateLimitSettings(options.RatePerHour, options.RatePerMinute));
builder.Services.AddSingleton<RateLimits>();
builder.Services.AddSingleton(new SignInLimits(options.SignInFailuresPerUser, options.SignInFailuresPerAddress));
builder.Services.AddSingleton<SignInThrottle>();
builder.Services.AddSingleton<Authentication>();
builder.Services.AddSingleton<Idempotency>();
builder.Services.AddSingleton<ActionQueue>();
builder.Services.AddSingleton<ActionIntake>();
builder.Services.AddSingleton<VmDocuments>();
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
    builder.Services.AddSingleton<IComputeDriver>(new SimulatedDriver(Path.Combine(options.DataDir, "simulated"), options.Simulated));
}
builder.Services.AddHostedService<ActionWorker>();
builder.Services.AddHostedService<Reconciler>();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
    kestrel.Listen(options.Listen, listen =>
    {
        if (!options.PlainHttp)
            listen.UseHttps(Tls.Load(options.DataDir, options.TlsCert, options.TlsKey, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("CloudsFor.Tls")));
    });
});

var app = builder.Build();
app.Use(RequestIds.Middleware);
app.Use(ErrorBodies.Middleware);
app.UseRouting();
app.Use(Authentication.Identify);
app.Use(app.Services.GetRequiredService<RateLimits>().Middleware);
app.Use(Authentication.Authorize);
app.Use(app.Services.GetRequiredService<Idempotency>().Middleware);

app.MapCloudsForApi();
await Reconciler.RemoveOrphans(db, app.Services.GetRequiredService<IComputeDriver>(), app.Logger);

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"cloudsfor: listening on {(options.PlainHttp ? "http" : "https")}://{options.Listen} (driver {options.Driver}, data {Path.GetFullPath(options.DataDir)})"));
await app.RunAsync();
return 0;
