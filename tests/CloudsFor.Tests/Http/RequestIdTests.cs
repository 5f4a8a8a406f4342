using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>X-Request-Id: the client's own when it is sane, else a fresh 32-hex id; on successes and errors alike.</summary>
public sealed class RequestIdTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static Dictionary<string, string> RequestId(string id) => new() { ["X-Request-Id"] = id };

    [Theory]
    [InlineData("abc")]
    [InlineData("trace-01.span:7_X")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public async Task A_sane_client_id_is_echoed(string id)
    {
        Assert.Equal(id, (await Server.Admin.Get("/account", RequestId(id))).Expect(200).Header("X-Request-Id"));
    }

    [Fact]
    public async Task An_id_of_128_characters_is_echoed_and_129_is_replaced()
    {
        var longest = new string('a', 128);
        Assert.Equal(longest, (await Server.Admin.Get("/account", RequestId(longest))).Header("X-Request-Id"));
        var tooLong = new string('a', 129);
        Assert.Matches(Formats.IdPattern, (await Server.Admin.Get("/account", RequestId(tooLong))).Header("X-Request-Id"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("<script>")]
    [InlineData("semi;colon")]
    [InlineData("slash/id")]
    public async Task An_insane_client_id_is_replaced_by_a_fresh_one(string id)
    {
        var r = (await Server.Admin.Get("/account", RequestId(id))).Expect(200);
        Assert.Matches(Formats.IdPattern, r.Header("X-Request-Id"));
    }

    [Fact]
    public async Task Without_a_client_id_each_response_gets_a_new_one()
    {
        var a = (await Server.Admin.Get("/account")).Header("X-Request-Id");
        var b = (await Server.Admin.Get("/account")).Header("X-Request-Id");
        Assert.Matches(Formats.IdPattern, a);
        Assert.Matches(Formats.IdPattern, b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Errors_echo_the_client_id_in_header_and_body()
    {
        var unauthorized = (await Server.Anonymous.Get("/account", RequestId("req-401"))).ExpectError(401, "unauthorized");
        Assert.Equal("req-401", unauthorized.Header("X-Request-Id"));
        var unknown = (await Server.Admin.Get("/nothing-here", RequestId("req-404"))).ExpectError(404, "not_found");
        Assert.Equal("req-404", unknown.Json.GetProperty("request_id").GetString());
        var invalid = (await Server.Admin.Post("/tokens", new { }, RequestId("req-422"))).ExpectError(422, "unprocessable_entity");
        Assert.Equal("req-422", invalid.Json.GetProperty("request_id").GetString());
    }
}
