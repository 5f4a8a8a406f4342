using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>HEAD on every GET route answers exactly GET's status and headers, with no body.</summary>
public sealed class HeadTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    /// <summary>Headers that legitimately differ between two requests.</summary>
    static readonly HashSet<string> PerRequest = new(StringComparer.OrdinalIgnoreCase)
        { "Date", "X-Request-Id", "RateLimit-Remaining", "RateLimit-Reset", "Transfer-Encoding" };

    [Fact]
    public async Task Every_get_route_answers_head_with_the_same_status_and_headers_and_no_body()
    {
        var user = await TestAccounts.Create(Server);
        var vm = await Vms.CreateActive(user.Api);
        var vmId = vm.Str("id");
        await Vms.RunCompleted(user.Api, vmId, new { type = "snapshot", name = "head-snap" });
        var actions = (await user.Api.Get($"/vms/{vmId}/actions")).Expect(200)["actions"].Ids();
        var snapshotId = (await user.Api.Get($"/vms/{vmId}/snapshots")).Expect(200)["snapshots"].Ids()[0];
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);

        var userRoutes = new[]
        {
            "/account", "/regions", "/regions/fra1", "/sizes", "/sizes/s-1vcpu-512mb", "/images", "/images/tiny",
            $"/images/{snapshotId}", "/images?type=snapshot", "/vms", "/vms?per_page=1", $"/vms/{vmId}", $"/vms/{vmId}/actions",
            $"/vms/{vmId}/actions/{actions[0]}", $"/vms/{vmId}/snapshots", "/actions", "/actions?per_page=1", $"/actions/{actions[0]}",
            "/tokens", $"/tokens/{tokenId}", $"/vms/{Formats.RandomId()}", "/no-such-route",
        };
        foreach (var path in userRoutes)
            await AssertHeadMatchesGet(user.Api, path);
        // The users collection is shared by every test running in parallel, so only its count's presence is compared.
        await AssertHeadMatchesGet(Server.Admin, $"/users/{user.Id}");
        var users = (await Server.Admin.Head("/users?per_page=1")).Expect(200);
        Assert.NotNull(users.Header("X-Total-Count"));
        Assert.Equal("", users.Text);
        await AssertHeadMatchesGet(Server.Anonymous, "/openapi.json");
        await AssertHeadMatchesGet(Server.Anonymous, "/account");
    }

    [Fact]
    public async Task Head_on_a_collection_tells_the_count()
    {
        var user = await TestAccounts.Create(Server);
        for (var i = 0; i < 3; i++)
            await TestAccounts.CreateToken(user.Api, ["read"]);
        var r = (await user.Api.Head("/tokens?per_page=1")).Expect(200);
        Assert.Equal("3", r.Header("X-Total-Count"));
        Assert.Contains("rel=\"next\"", r.Header("Link"));
        Assert.Equal("", r.Text);
    }

    async Task AssertHeadMatchesGet(ApiClient api, string path)
    {
        var get = await api.Get(path);
        var head = await api.Head(path);
        Assert.True(get.Status == head.Status, $"HEAD {path}: {head.Status}, GET: {get.Status}");
        Assert.True(head.Text.Length == 0, $"HEAD {path} sent a body: {head.Text}");
        var getHeaders = Comparable(get);
        var headHeaders = Comparable(head);
        Assert.True(getHeaders.SequenceEqual(headHeaders),
            $"HEAD {path} headers differ from GET:\n GET  {string.Join("; ", getHeaders)}\n HEAD {string.Join("; ", headHeaders)}");
    }

    static List<string> Comparable(ApiResponse r) =>
        r.Headers.Where(h => !PerRequest.Contains(h.Key))
            .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(",", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
}
