using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CloudsFor.Client.Pipeline;

/// <summary>The HttpClient under the client: TLS trust, the caller's handlers, and no timeout of its own (each attempt has one).</summary>
internal static class Transport
{
    public static HttpClient Create(CloudsForClientOptions options)
    {
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // Servers behind DNS names move; a pooled connection is not kept forever.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (options.CaFile is { } caFile)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            sockets.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca, certificate, errors),
            };
        }
        HttpMessageHandler handler = sockets;
        foreach (var outer in options.Handlers.Reverse())
        {
            outer.InnerHandler = handler;
            handler = outer;
        }
        var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return http;
    }

    /// <summary>Trust exactly the given CA: the chain is built against it alone, and the host name must still match.</summary>
    static bool ChainsTo(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        var certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private CA publishes no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
