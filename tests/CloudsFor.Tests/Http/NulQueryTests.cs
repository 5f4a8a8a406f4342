using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>A NUL character in a query parameter is the client's mistake on either store (PostgreSQL refuses it in any text).</summary>
public sealed class NulQueryTests
{
    [Fact]
    public async Task A_NUL_in_a_filter_is_a_400_on_every_list()
    {
        using var server = await ServerProcess.StartAsync();
        var user = await TestAccounts.Create(server);
        foreach (var path in new[] { "/volumes?name=%00", "/vms?name=a%00b", "/images?type=%00" })
            (await user.Api.Get(path)).ExpectError(400, "bad_request");
    }
}
