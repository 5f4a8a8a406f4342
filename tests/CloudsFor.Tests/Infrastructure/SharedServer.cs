namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// One server for every test class that needs no special settings: started on first use (about a
/// second), shared across classes running in parallel, killed when the test process ends. Tests
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

    // Never disposed: its data folder's watcher kills it and removes the folder when the test process ends.
    static Task<ServerProcess> StartOnce() => ServerProcess.StartAsync(Settings);
}
