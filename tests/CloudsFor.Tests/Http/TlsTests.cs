using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// HTTPS by default with a CA generated into the data folder: clients that trust that CA connect
/// (by IP and by name), clients that trust only the system store refuse the certificate. Only TLS 1.2 and 1.3 with
/// forward-secret AEAD suites are spoken (checked with openssl s_client), HTTP/2 as well as HTTP/1.1.
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

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Openssl_connects_with_tls_1_2_and_1_3(string version)
    {
        var handshake = await SClient(version);
        Assert.True(handshake.Cipher is not null, handshake.Output);
        Assert.Equal(version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3", handshake.Protocol);
    }

    /// <summary>Security level 0 makes the client really offer TLS 1.1 (OpenSSL 3 would not by itself): the server refuses it.</summary>
    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task Openssl_is_refused_tls_below_1_2(string version)
    {
        var handshake = await SClient(version, "-cipher", "DEFAULT:@SECLEVEL=0");
        Assert.True(handshake.Cipher is null, handshake.Output);
        Assert.Contains("alert protocol version", handshake.Output);
    }

    /// <summary>CBC suites, which .NET's default list on Linux would take with this server's ECDSA certificate.</summary>
    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("ECDHE-ECDSA-AES256-SHA384")]
    public async Task Openssl_is_refused_weak_cipher_suites(string suite)
    {
        var handshake = await SClient("-tls1_2", "-cipher", suite);
        Assert.True(handshake.Cipher is null, handshake.Output);
    }

    [Fact]
    public async Task Http2_is_spoken_when_asked_for_exactly()
    {
        var user = await TestAccounts.Create(Server);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Server.BaseUrl}/vms")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Headers = { { "Authorization", user.Api.Authorization } },
        };
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"vms\"", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Rotating the generated CA, as the operator guide says: stop the server, delete DATA/tls/*.pem, start it. A new CA
    /// is made, clients of the old one refuse the new certificate, and the store has everything it had.
    /// </summary>
    [Fact]
    public async Task Deleting_the_generated_certificates_rotates_the_ca_and_keeps_the_store()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.CreateActive(user.Api);
        var before = (await server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"].GetRawText();
        var caPath = Path.Combine(server.DataDir, "tls", "ca.pem");
        var oldCa = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        using var oldCaFolder = new TempFolder("cloudsfor-old-ca-");
        var oldCaPath = Path.Combine(oldCaFolder.Path, "ca.pem");
        File.Copy(caPath, oldCaPath);

        Assert.Equal(0, await server.StopAsync());
        foreach (var pem in Directory.GetFiles(Path.Combine(server.DataDir, "tls"), "*.pem"))
            File.Delete(pem);
        await server.RestartAsync();

        var newCa = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        Assert.NotEqual(oldCa.Thumbprint, newCa.Thumbprint);
        Assert.Contains("generated a CA and server certificate", server.Output);
        using (var oldClient = TrustedClient.For(oldCaPath))
            await Assert.ThrowsAsync<HttpRequestException>(() => oldClient.GetAsync($"{server.Origin}/api/v1/openapi.json"));
        Assert.Equal(vm.Str("id"), (await Vms.Get(user.Api, vm.Str("id"))).Str("id"));
        Assert.Equal("active", (await Vms.Get(user.Api, vm.Str("id"))).Status());
        Assert.Equal(before, (await server.Admin.Get($"/users/{user.Id}")).Expect(200)["user"].GetRawText());
    }

    sealed record Handshake(string? Protocol, string? Cipher, string Output);

    /// <summary>One handshake by openssl s_client trusting the server's CA; the cipher is null when no session was made.</summary>
    async Task<Handshake> SClient(params string[] options)
    {
        // From /dev/null, s_client ends right after the handshake instead of waiting for input to send.
        var result = await Tools.Start(TimeSpan.FromSeconds(60), "sh",
            ["-c", "exec openssl s_client \"$@\" < /dev/null", "sh", "-connect", $"127.0.0.1:{Server.Port}", "-CAfile", Path.Combine(Server.DataDir, "tls", "ca.pem"), .. options],
            missingHint: "apt-get install openssl");
        var output = result.ToString();
        var session = System.Text.RegularExpressions.Regex.Match(output, @"New, (TLSv[0-9.]+), Cipher is (\S+)");
        return session.Success ? new(session.Groups[1].Value, session.Groups[2].Value, output) : new(null, null, output);
    }
}
