using System.Text;
using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// Every error id the API can be made to answer, each with the contract's body
/// {"id","message","request_id"}, a JSON content type and the request id of its response.
/// (too_many_requests is in RateLimitTests: it needs a server with a small budget.)
/// </summary>
public sealed class ErrorBodyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Bad_request_names_the_problem()
    {
        var r = await Server.Admin.Get("/vms?per_page=0");
        r.ExpectError(400, "bad_request");
        Assert.Contains("per_page", r.Message);
    }

    [Fact]
    public async Task Unauthorized_comes_with_WWW_Authenticate_for_basic_and_bearer()
    {
        var r = await Server.Anonymous.Get("/account");
        r.ExpectError(401, "unauthorized");
        var challenge = r.Header("WWW-Authenticate");
        Assert.NotNull(challenge);
        Assert.Contains("Basic realm=\"CloudsFor\"", challenge);
        Assert.Contains("Bearer", challenge);
    }

    [Fact]
    public async Task Forbidden_for_a_non_admin_on_users()
    {
        var user = await TestAccounts.Create(Server);
        (await user.Api.Get("/users")).ExpectError(403, "forbidden");
    }

    [Fact]
    public async Task Not_found_for_a_missing_object_and_an_unknown_route()
    {
        (await Server.Admin.Get($"/vms/{Formats.RandomId()}")).ExpectError(404, "not_found");
        (await Server.Admin.Get("/no-such-thing")).ExpectError(404, "not_found");
    }

    [Fact]
    public async Task Method_not_allowed_is_json()
    {
        var r = await Server.Admin.Send(HttpMethod.Patch, "/vms", new { });
        r.ExpectError(405, "method_not_allowed");
    }

    [Fact]
    public async Task Conflict_for_a_taken_username()
    {
        var user = await TestAccounts.Create(Server);
        var r = await Server.Admin.Post("/users", new { username = user.Username, password = "another-password", email = "x@example.test" });
        r.ExpectError(409, "conflict");
    }

    [Fact]
    public async Task Precondition_failed_for_a_stale_If_Match()
    {
        var user = await TestAccounts.Create(Server);
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var r = await user.Api.Put($"/tokens/{tokenId}", new { name = "renamed" }, new Dictionary<string, string> { ["If-Match"] = "\"stale\"" });
        r.ExpectError(412, "precondition_failed");
    }

    [Fact]
    public async Task Payload_too_large_over_one_MiB()
    {
        var body = "{\"name\":\"" + new string('a', 1 << 20) + "\",\"scopes\":[\"read\"]}";
        // Expect: 100-continue lets the server refuse on the declared length before the client sends the megabyte.
        (await Server.Admin.Post("/tokens", body, new Dictionary<string, string> { ["Expect"] = "100-continue" })).ExpectError(413, "payload_too_large");
    }

    [Fact]
    public async Task Unsupported_media_type_for_a_non_json_body()
    {
        var content = new StringContent("{\"name\":\"t\",\"scopes\":[\"read\"]}", Encoding.UTF8, "text/plain");
        (await Server.Admin.SendContent(HttpMethod.Post, "/tokens", content)).ExpectError(415, "unsupported_media_type");
    }

    [Fact]
    public async Task Unprocessable_entity_lists_each_invalid_field()
    {
        var r = await Server.Admin.Post("/vms", new { name = "bad name!", size = "no-such-size", image = "no-such-image" });
        r.ExpectError(422, "unprocessable_entity");
        var fields = r.ErrorFields();
        Assert.Contains("name", fields);
        Assert.Contains("size", fields);
        Assert.Contains("image", fields);
        foreach (var error in r["errors"].EnumerateArray())
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Error_bodies_hold_only_the_contract_fields()
    {
        var r = (await Server.Admin.Get($"/vms/{Formats.RandomId()}")).ExpectError(404, "not_found");
        Assert.Equal(["id", "message", "request_id"], r.Json.EnumerateObject().Select(p => p.Name).Order());
        Assert.StartsWith("application/json", r.Header("Content-Type"));
    }

    [Fact]
    public async Task Single_objects_are_wrapped_in_their_singular_root_without_meta()
    {
        var r = (await Server.Admin.Get("/account")).Expect(200);
        Assert.Equal(["account"], r.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, r["account"].ValueKind);
    }

    [Fact]
    public async Task Collections_carry_their_plural_root_links_and_meta()
    {
        var r = (await Server.Admin.Get("/sizes")).Expect(200);
        Assert.Equal(["links", "meta", "sizes"], r.Json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(JsonValueKind.Array, r["sizes"].ValueKind);
        Assert.Equal(r["sizes"].GetArrayLength(), r["meta"].GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Every_response_carries_rate_limit_and_request_id_headers()
    {
        var responses = new[]
        {
            await Server.Admin.Get("/account"),
            await Server.Admin.Get("/no-such-thing"),
            await Server.Anonymous.Get("/account"),
            await Server.Admin.Send(HttpMethod.Patch, "/vms", new { }),
            await Server.Admin.Post("/tokens", new { }),
        };
        foreach (var r in responses)
        {
            Assert.True(r.Header("RateLimit-Limit") is not null, $"no RateLimit-Limit on {r}");
            Assert.True(r.Header("RateLimit-Remaining") is not null, $"no RateLimit-Remaining on {r}");
            Assert.True(r.Header("RateLimit-Reset") is not null, $"no RateLimit-Reset on {r}");
            Assert.Matches(Formats.IdPattern, r.Header("X-Request-Id"));
        }
    }
}
