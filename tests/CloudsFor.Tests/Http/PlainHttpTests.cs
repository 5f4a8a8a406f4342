using System.Net;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>Plain HTTP sends Basic passwords in clear, so it is served on loopback only, unless the loud option says otherwise.</summary>
public sealed class PlainHttpTests
{
    [Fact]
    public async Task Http_on_an_address_other_than_loopback_stops_the_start_with_a_message()
    {
        var data = Path.Combine(Path.GetTempPath(), TestAccounts.UniqueName("cloudsfor-test-"));
        try
        {
            var (exitCode, output) = await Tools.Run(TimeSpan.FromSeconds(30), "dotnet", ServerProcess.ServerAssembly(), "serve", "--data", data,
                "--http", "--listen", "0.0.0.0:18080", "--dns-listen", "off");
            Assert.Equal(2, exitCode);
            Assert.Contains("--http sends passwords and tokens in clear, so it listens only on a loopback address, not 0.0.0.0:18080", output);
            Assert.Contains("--insecure-http-non-loopback", output);
            Assert.DoesNotContain("listening on", output);
        }
        finally
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Loopback_addresses_or_the_loud_option_allow_http()
    {
        Assert.True(ServeOptions.Parse(["--http"], _ => null).PlainHttp);
        Assert.True(ServeOptions.Parse(["--http", "--listen", "[::1]:8080"], _ => null).PlainHttp);
        Assert.True(ServeOptions.Parse(["--http", "--listen", "127.0.0.2:8080"], _ => null).PlainHttp);
        Assert.Throws<FormatException>(() => ServeOptions.Parse(["--listen", "[::]:8080"], v => v == "CLOUDSFOR_HTTP" ? "1" : null));
        var loud = ServeOptions.Parse(["--http", "--listen", "0.0.0.0:8080", "--insecure-http-non-loopback"], _ => null);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8080), loud.Listen);
        Assert.True(ServeOptions.Parse(["--http", "--listen", "0.0.0.0:8080"], v => v == "CLOUDSFOR_INSECURE_HTTP_NON_LOOPBACK" ? "1" : null).PlainHttp);
        // HTTPS may listen anywhere.
        Assert.False(ServeOptions.Parse(["--listen", "0.0.0.0:8443"], _ => null).PlainHttp);
    }
}
