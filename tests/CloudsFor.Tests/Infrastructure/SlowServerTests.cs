namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A test class with a server of its own whose simulated operations take 2-3 s, so an action is still in flight when
/// the test kills the server; no rate limits, since the test's own polling would meet them.
/// </summary>
public abstract class SlowServerTests : IAsyncLifetime
{
    protected ServerProcess server = null!;

    public async Task InitializeAsync() => server = await ServerProcess.StartAsync("--sim-delay-ms", "2000-3000", "--rate-per-minute", "0", "--rate-per-hour", "0");

    public Task DisposeAsync()
    {
        server.Dispose();
        return Task.CompletedTask;
    }
}
