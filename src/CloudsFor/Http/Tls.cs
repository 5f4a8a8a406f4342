using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudsFor.Http;

/// <summary>
/// The server's certificate: the operator's PEM files, or on first start a private CA
/// (DATA/tls/ca.pem, for clients to trust) and a server certificate for localhost and 127.0.0.1
/// signed by it. Keys are written readable by the owner only.
/// </summary>
public static class Tls
{
    public static X509Certificate2 Load(string dataDir, string? certFile, string? keyFile, Action<string> tellOperator)
    {
        if (certFile is not null && keyFile is not null)
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        var dir = Path.Combine(dataDir, "tls");
        var (cert, key) = (Path.Combine(dir, "server.pem"), Path.Combine(dir, "server-key.pem"));
        if (!File.Exists(cert) || !File.Exists(key))
        {
            Generate(dir, cert, key);
            tellOperator($"cloudsfor: generated a CA and server certificate in {dir}; clients trust {Path.Combine(dir, "ca.pem")}");
        }
        return X509Certificate2.CreateFromPemFile(cert, key);
    }

    static void Generate(string dir, string certPath, string keyPath)
    {
        Directory.CreateDirectory(dir);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=CloudsFor local CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(2), RandomNumberGenerator.GetBytes(16));

        WritePrivate(Path.Combine(dir, "ca-key.pem"), caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
        WritePrivate(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
    }

    static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, pem);
    }
}
