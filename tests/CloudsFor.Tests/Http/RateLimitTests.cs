using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>A server with a budget of 5 requests a minute per caller, so the budget can run out inside a test.</summary>
public sealed class FiveRequestsAMinuteServer() : ServerFixture("--rate-per-minute", "5", "--sim-delay-ms", "0-50");

/// <summary>RateLimit-* headers count down per caller; past the budget a 429 with Retry-After, and other callers are unaffected.</summary>
public sealed class RateLimitTests(FiveRequestsAMinuteServer limited) : IClassFixture<FiveRequestsAMinuteServer>
{
    ServerProcess Server => limited.Server;

    [Fact]
    public async Task The_budget_counts_down_then_429_with_Retry_After_and_other_callers_keep_theirs()
    {
        // Two admin requests: the admin's own budget, not the users'.
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var remaining = 4; remaining >= 0; remaining--)
        {
            var r = (await alice.Api.Get("/account")).Expect(200);
            Assert.Equal("5", r.Header("RateLimit-Limit"));
            Assert.Equal(remaining.ToString(), r.Header("RateLimit-Remaining"));
            var reset = long.Parse(r.Header("RateLimit-Reset")!);
            Assert.InRange(reset, now, now + 62);
        }

        var limitedAnswer = await alice.Api.Get("/account");
        limitedAnswer.ExpectError(429, "too_many_requests");
        var retryAfter = int.Parse(limitedAnswer.Header("Retry-After")!);
        Assert.InRange(retryAfter, 1, 61);
        Assert.Equal("0", limitedAnswer.Header("RateLimit-Remaining"));
        Assert.Equal("5", limitedAnswer.Header("RateLimit-Limit"));

        // Writes are refused too, and refused before they do anything.
        (await alice.Api.Post("/tokens", new { name = "t", scopes = new[] { "read" } })).ExpectError(429, "too_many_requests");

        var other = (await bob.Api.Get("/account")).Expect(200);
        Assert.Equal("4", other.Header("RateLimit-Remaining"));
    }

    [Fact]
    public async Task Errors_carry_the_rate_limit_headers_too()
    {
        var carol = await TestAccounts.Create(Server);
        var r = (await carol.Api.Get($"/vms/{Formats.RandomId()}")).ExpectError(404, "not_found");
        Assert.Equal("5", r.Header("RateLimit-Limit"));
        Assert.Equal("4", r.Header("RateLimit-Remaining"));
        Assert.NotNull(r.Header("RateLimit-Reset"));
    }
}
