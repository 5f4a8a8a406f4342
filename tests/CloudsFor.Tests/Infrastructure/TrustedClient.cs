using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// HttpClients that trust exactly one CA: the one the server generated in its data folder. A
/// server certificate that does not chain to it, or that does not name the host, is refused.
/// </summary>
public static class TrustedClient
{
    /// <summary><paramref name="configure"/> may change the handler further (the hostile-input test lets header values be UTF-8).</summary>
    public static HttpClient For(string caPemPath, Action<SocketsHttpHandler>? configure = null)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca, certificate, errors),
            },
        };
        configure?.Invoke(handler);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    static bool ChainsTo(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        var certificate = presented as X509Certificate2 ?? new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
