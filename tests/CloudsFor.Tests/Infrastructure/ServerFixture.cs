namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A server of one test class's own, for settings the shared server must not have (slow or failing operations, tight
/// rate limits): started before the class's first test, killed after its last. A fixture is one line:
/// <c>public sealed class SlowServer() : ServerFixture("--sim-delay-ms", "1500");</c>
/// </summary>
public abstract class ServerFixture(params string[] settings) : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(settings);

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
