namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// One server for every test class that needs no special settings: started on first use (about a
/// second), shared across classes running in parallel, killed when the test process exits. Tests
/// stay independent by each working in an account of its own (see <see cref="TestAccounts"/>).
/// Fast simulated operations keep waits short; rate limits are high enough never to interfere.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public static readonly string[] Settings =
        ["--sim-delay-ms", "0-50", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000"];

    static readonly Lazy<Task<ServerProcess>> instance = new(StartOnce);

    public ServerProcess Server { get; private set; } = null!;

    public ApiClient Admin => Server.Admin;

    public static Task<ServerProcess> Get() => instance.Value;

    public async Task InitializeAsync() => Server = await Get();

    public Task DisposeAsync() => Task.CompletedTask;

    static async Task<ServerProcess> StartOnce()
    {
        var server = await ServerProcess.StartAsync(Settings);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }
}
