using System.Security.Cryptography;
using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>Token secrets rest only behind a hash keyed with the server key; tokens hashed the old, unkeyed way still work and are re-hashed.</summary>
public sealed class TokenHashTests
{
    [Fact]
    public async Task A_token_stored_with_an_unkeyed_hash_signs_in_once_more_and_is_then_stored_keyed()
    {
        using var server = await ServerProcess.StartAsync(SharedServer.Settings);
        var user = await TestAccounts.Create(server);
        var secret = "cf_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var unkeyed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var (_, keyedSecret) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var keyedOfNew = StoredHashes(server).Single();
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keyedSecret))), keyedOfNew);

        StoreSql.Execute(server, """
            INSERT INTO tokens (id, user_id, name, scopes, secret_hash, created_at, expires_at)
            VALUES ('0123456789abcdef0123456789abcdef', @user, 'from an older version', 'read', @hash, '2026-11-30T00:00:00.000Z', NULL)
            """, ("user", user.Id), ("hash", unkeyed));

        (await ApiClient.Bearer(server, secret).Get("/account")).Expect(200);
        var hashes = StoredHashes(server);
        Assert.Equal(2, hashes.Count);
        Assert.DoesNotContain(unkeyed, hashes);
        (await ApiClient.Bearer(server, secret).Get("/account")).Expect(200);
        (await ApiClient.Bearer(server, "cf_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).Get("/account")).ExpectError(401, "unauthorized");
    }

    static List<string> StoredHashes(ServerProcess server) =>
        StoreSql.Column<string>(server, "SELECT secret_hash FROM tokens ORDER BY created_at");
}
