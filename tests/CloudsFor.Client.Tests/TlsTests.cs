using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class TlsTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task With_the_servers_ca_file_the_certificate_is_trusted()
    {
        using var client = Clients.Admin(shared.Server);

        Assert.Equal("admin", (await client.Account.GetAsync()).Username);
    }

    [Fact]
    public async Task Without_the_ca_file_the_certificate_is_refused_and_not_retried()
    {
        var recorder = new RecordingHandler();
        using var client = Clients.For(shared.Server, CloudsForCredential.Basic("admin", shared.Server.AdminPassword), o =>
        {
            o.CaFile = null;
            o.Handlers.Add(recorder);
        });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.Account.GetAsync());

        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.Equal(1, recorder.Attempts);
    }

    [Fact]
    public async Task Another_ca_file_does_not_vouch_for_the_server()
    {
        var otherCa = Path.GetTempFileName();
        try
        {
            using var key = ECDsa.Create();
            var request = new CertificateRequest("CN=Some other CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, ca.ExportCertificatePem());
            using var client = Clients.For(shared.Server, CloudsForCredential.Basic("admin", shared.Server.AdminPassword), o => o.CaFile = otherCa);

            var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.Account.GetAsync());

            Assert.IsType<AuthenticationException>(e.InnerException);
        }
        finally
        {
            File.Delete(otherCa);
        }
    }
}
