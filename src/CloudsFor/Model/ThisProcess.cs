using System.Security.Cryptography;

namespace CloudsFor.Model;

/// <summary>
/// This server process as the rows it shares with other servers name it (work claims, rate-limit reports, simulated
/// executions): the machine, the process id, and a random part, since a restarted process may get the same id.
/// </summary>
public static class ThisProcess
{
    public static readonly string Id = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
