using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Panel;

/// <summary>
/// Sessions end by themselves: after the idle timeout without use, and after their lifetime whatever the use; and
/// guessing passwords through sign-in locks the username as Basic auth does. Each test has a server with short settings
/// (and the shared server's high rate limits, since the tests poll).
/// </summary>
public sealed class SessionExpiryTests
{
    [Fact]
    public async Task An_unused_session_ends_after_the_idle_timeout_and_a_used_one_lives_on()
    {
        using var server = await ServerProcess.StartAsync([.. SharedServer.Settings, "--session-idle-seconds", "3"]);
        var user = await TestAccounts.Create(server);
        var idle = await BrowserSession.Start(server, user.Username, user.Password);
        var used = await BrowserSession.Start(server, user.Username, user.Password);
        var idleUntil = idle.Field("idle_expires_at");
        Assert.True(idleUntil <= idle.Field("expires_at").AddHours(-11));

        // The used session answers on every ask, past the time the unused one ends.
        await Poll.Until(async () => (await used.Get("/account")).Expect(200).Header("Date"),
            date => DateTimeOffset.Parse(date!, System.Globalization.CultureInfo.InvariantCulture) > idleUntil.AddSeconds(1), "the used session passing the first idle expiry");
        (await idle.Get("/account")).ExpectError(401, "unauthorized");
        var current = (await used.Get("/sessions/current")).Expect(200)["session"];
        Assert.True(DateTimeOffset.Parse(current.GetProperty("idle_expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > idleUntil);
    }

    [Fact]
    public async Task A_session_ends_at_its_lifetime_even_in_use()
    {
        using var server = await ServerProcess.StartAsync([.. SharedServer.Settings, "--session-lifetime-seconds", "3"]);
        var user = await TestAccounts.Create(server);
        var session = await BrowserSession.Start(server, user.Username, user.Password);
        var expires = session.Field("expires_at");
        Assert.Equal(expires, session.Field("idle_expires_at"));

        var ended = await Poll.Until(() => session.Get("/account"), r => r.Status != 200, "the session ending", TimeSpan.FromSeconds(60));
        ended.ExpectError(401, "unauthorized");
        // Kestrel writes Date from a clock it updates once a second, so the header may trail the true time by one.
        Assert.True(await BrowserSession.ServerNow(server) >= expires.AddSeconds(-1));
    }

    [Fact]
    public async Task Ten_wrong_passwords_at_sign_in_lock_the_username_for_sign_in_and_Basic_alike()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-50");
        var user = await TestAccounts.Create(server);
        for (var guess = 0; guess < 10; guess++)
            (await server.Anonymous.Post("/sessions", new { username = user.Username, password = $"guess-{guess}" })).ExpectError(401, "unauthorized");

        var locked = (await server.Anonymous.Post("/sessions", new { username = user.Username, password = user.Password })).ExpectError(429, "too_many_requests");
        Assert.Equal("900", locked.Header("Retry-After"));
        Assert.Null(locked.Header("Set-Cookie"));
        (await user.Api.Get("/account")).ExpectError(429, "too_many_requests");
    }
}
