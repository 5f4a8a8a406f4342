using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudsFor.Tests.Images;

/// <summary>
/// A plain HTTP/1.1 server on 127.0.0.1 for image imports to download from: each path serves bytes, a redirect,
/// or bytes sent slowly (so a test can stop the importing server in the middle). One request per connection.
/// </summary>
public sealed class FileServer : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly Dictionary<string, Func<Stream, Task>> routes = [];
    readonly CancellationTokenSource stop = new();

    public FileServer()
    {
        listener.Start();
        _ = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>How many requests each path got.</summary>
    public Dictionary<string, int> Hits { get; } = [];

    public void Serve(string path, byte[] bytes, TimeSpan? pauseEvery64KiB = null) => routes[path] = async s =>
    {
        await Head(s, "200 OK", $"Content-Length: {bytes.Length}\r\nContent-Type: application/octet-stream");
        for (var at = 0; at < bytes.Length; at += 65536)
        {
            await s.WriteAsync(bytes.AsMemory(at, Math.Min(65536, bytes.Length - at)));
            if (pauseEvery64KiB is { } pause)
                await Task.Delay(pause); // paced on purpose: the download must still run when the test stops the server
        }
    };

    /// <summary>Bytes whose first 64 KiB go out at once and the rest once <paramref name="release"/> ends: a download held in the middle.</summary>
    public void ServeHeld(string path, byte[] bytes, Task release) => routes[path] = async s =>
    {
        await Head(s, "200 OK", $"Content-Length: {bytes.Length}\r\nContent-Type: application/octet-stream");
        var first = Math.Min(65536, bytes.Length);
        await s.WriteAsync(bytes.AsMemory(0, first));
        await s.FlushAsync();
        await release;
        await s.WriteAsync(bytes.AsMemory(first));
    };

    /// <summary>How many requests the path got so far.</summary>
    public int HitsOf(string path)
    {
        lock (Hits)
            return Hits.GetValueOrDefault(path);
    }

    public void Redirect(string path, string location) => routes[path] = s => Head(s, "302 Found", $"Location: {location}\r\nContent-Length: 0");

    async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            _ = Answer(client);
        }
    }

    async Task Answer(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII, false, 1, leaveOpen: true);
                var path = (await reader.ReadLineAsync())?.Split(' ')[1] ?? "/";
                while (await reader.ReadLineAsync() is { Length: > 0 })
                {
                }
                lock (Hits)
                    Hits[path] = Hits.GetValueOrDefault(path) + 1;
                await (routes.TryGetValue(path, out var route) ? route(stream) : Head(stream, "404 Not Found", "Content-Length: 0"));
            }
            catch (IOException)
            {
                // The importing server went away in the middle, as the restart test makes it.
            }
        }
    }

    static Task Head(Stream s, string status, string headers) =>
        s.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{headers}\r\nConnection: close\r\n\r\n")).AsTask();

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
