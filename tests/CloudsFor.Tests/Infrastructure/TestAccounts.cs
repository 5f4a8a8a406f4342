using System.Security.Cryptography;
using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>A user created for one test (its own account), with an ApiClient that logs in with its password.</summary>
public sealed record TestUser(string Id, string Username, string Password, string Email, ApiClient Api, JsonElement Created);

/// <summary>Creates users through the admin API, each with a unique name, so tests never see each other's objects.</summary>
public static class TestAccounts
{
    public static string UniqueName(string prefix = "u") => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static async Task<TestUser> Create(ServerProcess server, int? vmLimit = null, bool admin = false)
    {
        var username = UniqueName();
        var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var email = username + "@example.test";
        var body = new Dictionary<string, object> { ["username"] = username, ["password"] = password, ["email"] = email };
        if (vmLimit is not null)
            body["vm_limit"] = vmLimit.Value;
        if (admin)
            body["admin"] = true;
        var created = (await server.Admin.Post("/users", body)).Expect(201);
        var user = created["user"];
        return new TestUser(user.GetProperty("id").GetString()!, username, password, email, ApiClient.Basic(server, username, password), user);
    }

    /// <summary>Creates a token for the user behind <paramref name="api"/>; returns its id and its secret.</summary>
    public static async Task<(string Id, string Secret)> CreateToken(ApiClient api, string[] scopes, string? name = null, int? expiresInSeconds = null)
    {
        var body = new Dictionary<string, object> { ["name"] = name ?? UniqueName("token-"), ["scopes"] = scopes };
        if (expiresInSeconds is not null)
            body["expires_in_seconds"] = expiresInSeconds.Value;
        var token = (await api.Post("/tokens", body)).Expect(201)["token"];
        return (token.GetProperty("id").GetString()!, token.GetProperty("token").GetString()!);
    }
}
