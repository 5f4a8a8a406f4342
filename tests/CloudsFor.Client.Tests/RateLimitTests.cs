using System.Net;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

/// <summary>A server that lets each caller make 5 requests a minute.</summary>
public sealed class RateLimitedServer() : ServerFixture("--sim-delay-ms", "0-50", "--rate-per-minute", "5");

public sealed class RateLimitTests(RateLimitedServer limited) : IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task Past_the_limit_the_client_waits_for_Retry_After_and_then_succeeds()
    {
        var recorder = new RecordingHandler();
        var (user, client) = await Clients.NewUser(limited.Server, o => o.Handlers.Add(recorder));
        using var _ = client;

        for (var i = 0; i < 7; i++)
            Assert.Equal(user.Id, (await client.Account.GetAsync()).Uuid);

        var statuses = recorder.Exchanges.Select(e => e.Status).ToList();
        Assert.Equal(5, statuses.Take(5).Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_client_will_wait_is_an_ApiException_at_once()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(limited.Server, o =>
        {
            o.Handlers.Add(recorder);
            o.Retry.MaxRetryAfter = TimeSpan.Zero;
        });
        using var _ = client;
        for (var i = 0; i < 5; i++)
            await client.Account.GetAsync();

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Account.GetAsync());

        Assert.Equal(429, e.Status);
        Assert.Equal("too_many_requests", e.Id);
        Assert.NotNull(e.RetryAfter);
        Assert.Equal(6, recorder.Exchanges.Count);
    }
}
