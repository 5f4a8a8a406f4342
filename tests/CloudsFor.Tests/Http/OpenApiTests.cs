using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>The OpenAPI document is public and describes the API, /vms included.</summary>
public sealed class OpenApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task The_document_is_served_without_credentials_and_lists_vms()
    {
        var r = (await shared.Server.Anonymous.Get("/openapi.json")).Expect(200);
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        Assert.StartsWith("3.", r["openapi"].GetString());
        var paths = r["paths"].EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/vms", paths);
        Assert.Contains("/vms/{id}/actions", paths);
        Assert.Equal(JsonValueKind.Object, r["info"].ValueKind);
    }

    [Fact]
    public async Task The_server_url_is_the_callers_own_origin_so_generated_clients_need_no_base_url()
    {
        var viaAddress = (await shared.Server.Anonymous.Get("/openapi.json")).Expect(200);
        Assert.Equal(shared.Server.BaseUrl, Assert.Single(viaAddress["servers"].EnumerateArray()).GetProperty("url").GetString());
        var viaName = JsonDocument.Parse(await shared.Server.Client.GetStringAsync($"https://localhost:{shared.Server.Port}/api/v1/openapi.json"));
        Assert.Equal($"https://localhost:{shared.Server.Port}/api/v1", viaName.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_document_is_served_to_authenticated_callers_too()
    {
        (await shared.Server.Admin.Get("/openapi.json")).Expect(200);
    }
}
