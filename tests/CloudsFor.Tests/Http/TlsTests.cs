using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// HTTPS by default with a CA generated into the data folder: clients that trust that CA connect
/// (by IP and by name), clients that trust only the system store refuse the certificate.
/// </summary>
public sealed class TlsTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public void The_data_folder_holds_a_ca_certificate()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Server.DataDir, "tls", "ca.pem")));
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(ca.NotAfter > DateTime.UtcNow.AddDays(30));
        Assert.False(ca.HasPrivateKey);
    }

    [Fact]
    public async Task A_client_trusting_the_ca_connects_by_ip_and_by_localhost()
    {
        (await Server.Client.GetAsync($"{Server.Origin}/api/v1/openapi.json")).EnsureSuccessStatusCode();
        (await Server.Client.GetAsync($"https://localhost:{Server.Port}/api/v1/openapi.json")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_client_trusting_only_the_system_store_refuses_the_certificate()
    {
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"{Server.Origin}/api/v1/openapi.json"));
    }

    /// <summary>
    /// A plain HTTP request for a public route (which HTTPS answers with a 200) gets no HTTP answer at all: the server
    /// reads it as a broken TLS handshake and hangs up (or resets) without sending a byte.
    /// </summary>
    [Fact]
    public async Task Plain_http_is_not_served_on_the_https_port()
    {
        (await Server.Anonymous.Get("/openapi.json")).Expect(200);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        var received = new MemoryStream();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A reset refuses as well as a close does; what matters is that no byte came back.
        }
        Assert.True(received.Length == 0, $"plain HTTP got an answer: {Encoding.Latin1.GetString(received.ToArray())}");
    }
}
