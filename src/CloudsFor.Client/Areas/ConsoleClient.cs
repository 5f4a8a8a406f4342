using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>A VM's serial console output.</summary>
public sealed class ConsoleClient
{
    readonly Connection connection;

    internal ConsoleClient(Connection connection) => this.connection = connection;

    /// <param name="lines">how many of the last lines, 1 to 5000 (the server's default is 100).</param>
    public Task<VmConsole> GetAsync(string vmId, int? lines = null, CancellationToken cancellationToken = default) =>
        connection.GetAsync(Paths.With(VmsClient.PathOf(vmId) + "/console", ("lines", lines)), "console", ClientJson.Default.VmConsole, cancellationToken);
}
