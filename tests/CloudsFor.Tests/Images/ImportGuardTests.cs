using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Images;

/// <summary>A server with the default settings refuses imports from its own host and networks before anything is downloaded.</summary>
public sealed class ImportGuardTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Theory]
    [InlineData("http://127.0.0.1:9/disk.qcow2", "127.0.0.1 is a loopback, private")]
    [InlineData("http://[::1]/disk.qcow2", "::1 is a loopback, private")]
    [InlineData("http://169.254.169.254/latest", "169.254.169.254 is a loopback, private")]
    [InlineData("http://10.1.2.3/disk.qcow2", "10.1.2.3 is a loopback, private")]
    [InlineData("http://localhost:9/disk.qcow2", "localhost is this server")]
    [InlineData("file:///etc/passwd", "must be an http or https URL")]
    [InlineData("ftp://example.com/disk.qcow2", "must be an http or https URL")]
    public async Task A_url_the_server_must_not_fetch_is_refused_up_front(string url, string why)
    {
        var user = await TestAccounts.Create(Server);
        var refused = await user.Api.Post("/images", new { name = "sneaky", url });
        refused.ExpectError(422, "unprocessable_entity");
        Assert.Equal(["url"], refused.ErrorFields());
        Assert.Contains(why, refused.Text);
        Assert.Empty((await user.Api.Get("/images?type=custom")).Expect(200)["images"].Ids());
    }

    /// <summary>The machine's own name resolves to one of its addresses (loopback, or its network's): refused when the download connects.</summary>
    [Fact]
    public async Task A_name_is_judged_by_the_address_it_resolves_to_when_the_download_connects()
    {
        var user = await TestAccounts.Create(Server);
        using var files = new FileServer();
        files.Serve("/disk.raw", new byte[1024]);
        var host = System.Net.Dns.GetHostName();
        var id = (await user.Api.Post("/images", new { name = "by-name", url = $"http://{host}:{files.Port}/disk.raw" })).Expect(202)["image"].Str("id");
        var image = await ImportServer.Settled(user.Api, id);
        Assert.Equal("errored", image.Str("status"));
        Assert.Contains($"refused to connect to {host}", image.Str("error_message"));
        Assert.Empty(files.Hits);
    }
}
