namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// One account on the shared server for a whole test class whose tests each work in a zone of their
/// own: zones keep the tests apart, and the server's user list stays short.
/// </summary>
public sealed class DomainOwner : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public TestUser User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SharedServer.Get();
        User = await TestAccounts.Create(Server);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new zone of this account (with an A record for the apex when an address is given).</summary>
    public async Task<(TestUser User, string Domain)> NewZone(string? ipAddress = null) => (User, await Domains.Create(User.Api, ipAddress: ipAddress));
}
