using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// Guessing a password over HTTP: after 10 wrong passwords for one username the username is locked (429 with
/// Retry-After, the right password refused too, no hash run), while other users and tokens from the same address
/// go on working. An address that fails too often is locked for every credential.
/// </summary>
public sealed class PasswordGuessingTests
{
    [Fact]
    public async Task Ten_wrong_passwords_lock_the_username_and_then_the_right_one_is_refused_too()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-50");
        var victim = await TestAccounts.Create(server);
        var bystander = await TestAccounts.Create(server);
        var (_, victimToken) = await TestAccounts.CreateToken(victim.Api, ["read"]);

        for (var guess = 0; guess < 10; guess++)
            (await ApiClient.Basic(server, victim.Username, $"guess-{guess}").Get("/account")).ExpectError(401, "unauthorized");

        var locked = (await ApiClient.Basic(server, victim.Username, "guess-10").Get("/account")).ExpectError(429, "too_many_requests");
        Assert.Equal("900", locked.Header("Retry-After"));
        Assert.Contains("failed sign-ins", locked.Message);
        Assert.NotNull(locked.Header("RateLimit-Limit"));
        var right = (await victim.Api.Get("/account")).ExpectError(429, "too_many_requests");
        Assert.True(int.Parse(right.Header("Retry-After")!) is > 0 and <= 900);

        // Others from the same address, and the victim's own token, are not affected.
        (await bystander.Api.Get("/account")).Expect(200);
        (await ApiClient.Bearer(server, victimToken).Get("/account")).Expect(200);
        // The lock is for sign-ins: the public document still answers.
        (await victim.Api.Get("/openapi.json")).Expect(200);
    }

    [Fact]
    public async Task A_burst_of_parallel_guesses_gets_at_most_ten_answers_that_checked_a_password()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-50");
        var victim = await TestAccounts.Create(server);
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => ApiClient.Basic(server, victim.Username, $"burst-{i}").Get("/account")));
        Assert.Equal(10, answers.Count(a => a.Status == 401));
        Assert.All(answers.Where(a => a.Status != 401), a => a.ExpectError(429, "too_many_requests"));
        (await victim.Api.Get("/account")).ExpectError(429, "too_many_requests");
    }

    [Fact]
    public async Task An_address_that_fails_too_often_is_locked_for_every_username_and_token()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0-50", "--signin-failures-per-address", "12");
        var user = await TestAccounts.Create(server);
        var (_, token) = await TestAccounts.CreateToken(user.Api, ["read"]);
        for (var i = 0; i < 6; i++)
        {
            (await ApiClient.Basic(server, TestAccounts.UniqueName(), "wrong").Get("/account")).ExpectError(401, "unauthorized");
            (await ApiClient.Bearer(server, "cf_" + new string('0', 64)).Get("/account")).ExpectError(401, "unauthorized");
        }
        (await user.Api.Get("/account")).ExpectError(429, "too_many_requests");
        (await ApiClient.Bearer(server, token).Get("/account")).ExpectError(429, "too_many_requests");
    }
}
