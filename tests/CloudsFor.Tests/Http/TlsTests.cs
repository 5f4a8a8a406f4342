using System.Security.Cryptography.X509Certificates;
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

    [Fact]
    public async Task Plain_http_is_not_served_on_the_https_port()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var response = await client.GetAsync($"http://127.0.0.1:{Server.Port}/api/v1/account");
            Assert.NotEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Refused at the protocol level, which is fine.
        }
    }
}
