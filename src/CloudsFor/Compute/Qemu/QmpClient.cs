using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// One short QMP conversation over a VM's monitor socket: greeting, capabilities, commands.
/// Events that arrive between answers are kept for <see cref="WaitForEvent"/>; a connection per
/// operation keeps no state that a server restart could lose.
/// </summary>
public sealed class QmpClient : IAsyncDisposable
{
    readonly Socket socket;
    readonly StreamReader reader;
    readonly Stream stream;
    readonly List<JsonObject> events = [];

    QmpClient(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = new StreamReader(stream, Encoding.UTF8);
    }

    public static async Task<QmpClient> Connect(string socketPath, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            var client = new QmpClient(socket);
            await client.ReadLine(ct); // the greeting
            await client.Execute("qmp_capabilities", null, ct);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command and returns its "return" value; a QMP error becomes a DriverException.</summary>
    public async Task<JsonNode?> Execute(string command, object? arguments, CancellationToken ct)
    {
        var request = arguments is null
            ? JsonSerializer.Serialize(new { execute = command })
            : JsonSerializer.Serialize(new { execute = command, arguments });
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"), ct);
        while (true)
        {
            var message = JsonNode.Parse(await ReadLine(ct))!.AsObject();
            if (message.TryGetPropertyValue("return", out var result))
                return result;
            if (message.TryGetPropertyValue("error", out var error))
                throw new DriverException($"QEMU refused {command}: {error?["desc"]}");
            if (message.ContainsKey("event"))
                events.Add(message);
        }
    }

    /// <summary>
    /// Whether QEMU sent the event (since this connection opened) within the timeout. QEMU sends events only between
    /// answers here, so the wait asks query-status now and then rather than cancelling a read half-way through a line.
    /// </summary>
    public async Task<bool> WaitForEvent(string name, Func<JsonObject, bool> matches, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (events.Any(e => e["event"]?.GetValue<string>() == name && matches(e)))
                return true;
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(200, ct);
            await Execute("query-status", null, ct);
        }
    }

    /// <summary>The name of the next event QEMU sends (for a connection that only listens); null when QEMU closed the socket (it exited).</summary>
    public async Task<string?> NextEvent(CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
            if (JsonNode.Parse(line)?["event"]?.GetValue<string>() is { } name)
                return name;
        return null;
    }

    async Task<string> ReadLine(CancellationToken ct) =>
        await reader.ReadLineAsync(ct) ?? throw new DriverException("QEMU closed its monitor socket.");

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        socket.Dispose();
    }
}
