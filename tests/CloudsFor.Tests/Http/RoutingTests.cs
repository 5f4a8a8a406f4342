using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>Unknown routes and wrong methods answer with the contract's JSON errors, never an empty or HTML page.</summary>
public sealed class RoutingTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Theory]
    [InlineData("/no-such-thing")]
    [InlineData("/vms/not-an-id/whatever/else")]
    [InlineData("/regions/fra1/nothing")]
    public async Task Unknown_routes_are_404_json(string path)
    {
        (await Server.Admin.Get(path)).ExpectError(404, "not_found");
        (await Server.Anonymous.Get(path)).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Missing_files_and_other_methods_outside_the_api_are_404_json_too()
    {
        // Other GETs outside /api/ are the panel's own pages (Panel.SessionTests); a file that is not there is not one.
        (await Server.Admin.Get($"{Server.Origin}/not-the-api.txt")).ExpectError(404, "not_found");
        (await Server.Admin.Post($"{Server.Origin}/not-the-api", new { })).ExpectError(404, "not_found");
    }

    [Theory]
    [InlineData("PATCH", "/vms")]
    [InlineData("POST", "/regions")]
    [InlineData("DELETE", "/account")]
    [InlineData("PUT", "/sizes")]
    [InlineData("POST", "/actions")]
    public async Task Wrong_methods_on_known_routes_are_405_json(string method, string path)
    {
        var r = await Server.Admin.Send(new HttpMethod(method), path, method == "DELETE" ? null : new { });
        r.ExpectError(405, "method_not_allowed");
    }

    [Fact]
    public async Task An_id_that_is_not_hex_is_simply_not_found()
    {
        (await Server.Admin.Get("/vms/zzzz")).ExpectError(404, "not_found");
        (await Server.Admin.Get("/actions/" + new string('g', 32))).ExpectError(404, "not_found");
    }
}
