using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>The caller's own account: GET /account.</summary>
public sealed class AccountClient
{
    readonly Connection connection;

    internal AccountClient(Connection connection) => this.connection = connection;

    public Task<Account> GetAsync(CancellationToken cancellationToken = default) =>
        connection.GetAsync("account", "account", ClientJson.Default.Account, cancellationToken);
}
