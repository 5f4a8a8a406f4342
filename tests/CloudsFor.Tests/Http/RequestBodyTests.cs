using System.Net.Http.Headers;
using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// The rules every POST/PUT body meets: JSON by content type (415), well-formed (400 saying where),
/// an object (400), only writable fields (422 naming the others), at most 1 MiB (413); and a refused
/// body changes nothing.
/// </summary>
public sealed class RequestBodyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    const string ValidToken = "{\"name\":\"t\",\"scopes\":[\"read\"]}";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonp")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_json_is_415(string? contentType)
    {
        var user = await TestAccounts.Create(Server);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidToken));
        if (contentType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        (await user.Api.SendContent(HttpMethod.Post, "/tokens", content)).ExpectError(415, "unsupported_media_type");
        Assert.Equal(0, await TokenCount(user));
    }

    [Fact]
    public async Task Put_checks_the_content_type_too()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var content = new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain");
        (await user.Api.SendContent(HttpMethod.Put, $"/tokens/{tokenId}", content)).ExpectError(415, "unsupported_media_type");
    }

    [Fact]
    public async Task Json_with_a_charset_parameter_is_accepted()
    {
        var user = await TestAccounts.Create(Server);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidToken));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        (await user.Api.SendContent(HttpMethod.Post, "/tokens", content)).Expect(201);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_says_where()
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", "{\"name\": \"t\",\n  \"scopes\": [read]}");
        r.ExpectError(400, "bad_request");
        Assert.Matches("(?i)line 2", r.Message);
        Assert.Matches(@"(?i)(column|position|byte) \d+", r.Message);
        Assert.Equal(0, await TokenCount(user));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("")]
    public async Task A_body_that_is_not_a_json_object_is_400(string body)
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/tokens", body)).ExpectError(400, "bad_request");
    }

    [Fact]
    public async Task Unknown_fields_are_422_naming_each()
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", new { name = "t", scopes = new[] { "read" }, colour = "blue", owner = "someone" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("colour", r.ErrorFields());
        Assert.Contains("owner", r.ErrorFields());
        Assert.Equal(0, await TokenCount(user));
    }

    [Fact]
    public async Task Read_only_fields_are_422_naming_them_and_nothing_is_assigned()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"], "keep");
        var r = await user.Api.Put($"/tokens/{tokenId}", new { name = "new", id = Formats.RandomId(), created_at = "2000-01-01T00:00:00Z" });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("id", r.ErrorFields());
        Assert.Contains("created_at", r.ErrorFields());
        Assert.Equal("keep", (await user.Api.Get($"/tokens/{tokenId}")).Expect(200)["token"].Str("name"));
    }

    [Fact]
    public async Task A_vm_cannot_be_mass_assigned_status_or_resources()
    {
        var user = await TestAccounts.Create(Server);
        var create = await user.Api.Post("/vms", new { name = "mass", size = Vms.SmallSize, image = Vms.TinyImage, memory = 999999, status = "active" });
        create.ExpectError(422, "unprocessable_entity");
        Assert.Contains("memory", create.ErrorFields());
        Assert.Contains("status", create.ErrorFields());
        Assert.Equal(0, (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32());

        var vm = await Vms.CreateActive(user.Api);
        var put = await user.Api.Put($"/vms/{vm.Str("id")}", new { locked = true, vcpus = 64 });
        put.ExpectError(422, "unprocessable_entity");
        Assert.Contains("locked", put.ErrorFields());
        Assert.Contains("vcpus", put.ErrorFields());
        var after = await Vms.Get(user.Api, vm.Str("id"));
        Assert.Equal(1, after.GetProperty("vcpus").GetInt32());
        Assert.False(after.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_413_with_or_without_a_declared_length()
    {
        var user = await TestAccounts.Create(Server);
        var big = "{\"name\":\"" + new string('a', 1 << 20) + "\",\"scopes\":[\"read\"]}";
        // Expect: 100-continue lets the server refuse on the declared length before the client sends the megabyte.
        var declared = await user.Api.Post("/tokens", big, new Dictionary<string, string> { ["Expect"] = "100-continue" });
        declared.ExpectError(413, "payload_too_large");
        // The unread body leaves the connection unusable, and the answer says so, so no client sends on it again.
        Assert.Equal("close", declared.Header("Connection"));

        // Chunked: the server only finds out while reading.
        var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await user.Api.SendContent(HttpMethod.Post, "/tokens", chunked)).ExpectError(413, "payload_too_large");
        Assert.Equal(0, await TokenCount(user));
    }

    [Fact]
    public async Task A_body_just_under_one_MiB_is_read_and_judged_on_its_fields()
    {
        var user = await TestAccounts.Create(Server);
        var padding = new string('a', (1 << 20) - 100);
        var r = await user.Api.Post("/tokens", "{\"name\":\"" + padding + "\",\"scopes\":[\"read\"]}");
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("name", r.ErrorFields());
    }

    /// <summary>Text that is not valid JSON to the parser (a name twice, a lone surrogate, nesting past 32) is malformed.</summary>
    [Theory]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"read\"],\"name\":\"twice\"}")]
    [InlineData("{\"name\":\"\\ud800\",\"scopes\":[\"read\"]}")]
    [InlineData("{\"name\":\"t\",\"scopes\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}")]
    public async Task Odd_json_text_is_a_400(string body)
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Post("/tokens", body)).ExpectError(400, "bad_request");
        Assert.Equal(0, await TokenCount(user));
    }

    /// <summary>Well-formed JSON with values the route cannot take is a 422 naming each such field.</summary>
    [Theory]
    [InlineData("{\"name\":123,\"scopes\":\"read\"}", "name,scopes")]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"read\"],\"expires_in_seconds\":1e400}", "expires_in_seconds")]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"read\"],\"expires_in_seconds\":-5}", "expires_in_seconds")]
    [InlineData("{\"name\":\"t\",\"scopes\":[\"read\"],\"expires_in_seconds\":99999999999999999999999}", "expires_in_seconds")]
    [InlineData("{\"name\":null,\"scopes\":null}", "name,scopes")]
    public async Task Odd_values_are_a_422_naming_the_fields(string body, string fields)
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Post("/tokens", body)).ExpectError(422, "unprocessable_entity");
        Assert.Equal(fields.Split(','), r.ErrorFields().Order());
        Assert.Equal(0, await TokenCount(user));
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400()
    {
        var user = await TestAccounts.Create(Server);
        var bytes = Encoding.UTF8.GetBytes("{\"name\":\"x\",\"scopes\":[\"read\"]}");
        bytes[10] = 0xFF;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await user.Api.SendContent(HttpMethod.Post, "/tokens", content)).ExpectError(400, "bad_request");
    }

    static async Task<int> TokenCount(TestUser user) =>
        (await user.Api.Get("/tokens")).Expect(200)["meta"].GetProperty("total").GetInt32();

    /// <summary>Hides the length so HttpClient sends the body chunked.</summary>
    sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
