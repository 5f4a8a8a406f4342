using CloudsFor.Http;

namespace CloudsFor.Tests.Http;

/// <summary>The throttle's numbers, on an injected clock: free attempts, then waits growing by half a second, then a 15-minute lock.</summary>
public sealed class SignInThrottleRulesTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    readonly Clock clock = new();

    SignInThrottle.Attempt Begin(SignInThrottle throttle, string? user, string address = "192.0.2.1")
    {
        var (attempt, refusal) = throttle.Begin(user, address);
        Assert.Null(refusal);
        return attempt!;
    }

    [Fact]
    public void Failures_of_one_username_are_free_then_slowed_then_locked_for_15_minutes()
    {
        var throttle = new SignInThrottle(new SignInLimits(PerUser: 10, PerAddress: 0), clock);
        var delays = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var attempt = Begin(throttle, "alice");
            delays.Add(attempt.Delay.TotalSeconds);
            attempt.Failed();
        }
        Assert.Equal([0, 0, 0, 0, 0, 0.5, 1, 1.5, 2, 2.5], delays);

        var (none, locked) = throttle.Begin("alice", "192.0.2.1");
        Assert.Null(none);
        Assert.Equal(900, locked!.RetryAfterSeconds);
        Assert.Equal(900, throttle.Refusal("alice", "198.51.100.7")!.RetryAfterSeconds);
        Assert.True(throttle.AnyLocked);
        // Other usernames, and tokens (no username), are not affected.
        Begin(throttle, "bob").Succeeded();
        Begin(throttle, null).Succeeded();

        clock.Now += TimeSpan.FromMinutes(14);
        Assert.Equal(60, throttle.Refusal("alice", "192.0.2.1")!.RetryAfterSeconds);
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Null(throttle.Refusal("alice", "192.0.2.1"));
        var fresh = Begin(throttle, "alice");
        Assert.Equal(TimeSpan.Zero, fresh.Delay);
        fresh.Succeeded();
    }

    [Fact]
    public void Failures_spread_over_more_than_the_window_never_lock()
    {
        var throttle = new SignInThrottle(new SignInLimits(PerUser: 10, PerAddress: 0), clock);
        for (var i = 0; i < 30; i++)
        {
            Begin(throttle, "alice").Failed();
            clock.Now += TimeSpan.FromMinutes(2);
        }
        Assert.Null(throttle.Refusal("alice", "192.0.2.1"));
    }

    [Fact]
    public void Attempts_under_way_count_against_the_limit_so_a_burst_cannot_overshoot_it()
    {
        var throttle = new SignInThrottle(new SignInLimits(PerUser: 10, PerAddress: 0), clock);
        var burst = Enumerable.Range(0, 25).Select(_ => throttle.Begin("alice", "192.0.2.1")).ToList();
        Assert.Equal(10, burst.Count(b => b.Attempt is not null));
        Assert.All(burst.Where(b => b.Attempt is null), b => Assert.Equal(5, b.Refusal!.RetryAfterSeconds));
        // One that succeeds frees its place; the failures lock the name.
        burst[0].Attempt!.Succeeded();
        Begin(throttle, "alice").Failed();
        foreach (var (attempt, _) in burst.Skip(1).Where(b => b.Attempt is not null))
            attempt!.Failed();
        Assert.Equal(900, throttle.Refusal("alice", "192.0.2.1")!.RetryAfterSeconds);
    }

    [Fact]
    public void Failures_from_one_address_lock_the_address_for_every_username_and_token()
    {
        var throttle = new SignInThrottle(new SignInLimits(PerUser: 10, PerAddress: 20), clock);
        for (var i = 0; i < 20; i++)
            Begin(throttle, i % 2 == 0 ? $"user{i}" : null).Failed();
        Assert.Equal(900, throttle.Begin("carol", "192.0.2.1").Refusal!.RetryAfterSeconds);
        Assert.Equal(900, throttle.Begin(null, "192.0.2.1").Refusal!.RetryAfterSeconds);
        Begin(throttle, "carol", "198.51.100.7").Succeeded();
    }
}
