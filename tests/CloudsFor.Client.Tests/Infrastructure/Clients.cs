using System.Security.Cryptography;
using CloudsFor.Client;
using CloudsFor.Client.Models;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests.Infrastructure;

/// <summary>Clients of a real server, trusting its CA file; each test user is an account of its own.</summary>
public static class Clients
{
    public static string CaFile(ServerProcess server) => Path.Combine(server.DataDir, "tls", "ca.pem");

    /// <summary>Short polls and backoffs, so waits in tests end soon after the state is reached.</summary>
    public static CloudsForClient For(ServerProcess server, CloudsForCredential credential, Action<CloudsForClientOptions>? configure = null)
    {
        var options = new CloudsForClientOptions { BaseUrl = new Uri(server.BaseUrl), Credential = credential, CaFile = CaFile(server) };
        options.PollInterval = TimeSpan.FromMilliseconds(50);
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        configure?.Invoke(options);
        return new CloudsForClient(options);
    }

    public static CloudsForClient Admin(ServerProcess server) => For(server, CloudsForCredential.Basic("admin", server.AdminPassword));

    /// <summary>A new user made by the admin, and a client signed in as it (with the given handlers and settings).</summary>
    public static async Task<(User User, CloudsForClient Client)> NewUser(ServerProcess server, Action<CloudsForClientOptions>? configure = null)
    {
        using var admin = Admin(server);
        var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var username = TestAccounts.UniqueName();
        var user = await admin.Users.CreateAsync(new CreateUserRequest(username, password, username + "@example.test"));
        return (user, For(server, CloudsForCredential.Basic(username, password), configure));
    }
}
