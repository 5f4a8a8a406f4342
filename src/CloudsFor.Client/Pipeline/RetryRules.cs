using System.Net.Http.Headers;
using System.Security.Authentication;

namespace CloudsFor.Client.Pipeline;

/// <summary>
/// Which failed attempt is worth another, and after how long. Hand-written rather than Polly's pipeline: the
/// decision needs the error body (a 409 is retried only when the VM is locked) and the Idempotency-Key must
/// stay the same across attempts, both of which sit naturally in one small loop; the package stays dependency-free.
/// </summary>
internal static class RetryRules
{
    /// <summary>How long to wait before the next attempt after this error answer, or null when it is final.</summary>
    public static TimeSpan? After(ApiException error, int attempt, RetryOptions options) => error.Status switch
    {
        429 when error.RetryAfter is { } wait => wait <= options.MaxRetryAfter ? wait : null,
        429 => Backoff(attempt, options),
        409 when error.ServerMessage.Contains("locked", StringComparison.OrdinalIgnoreCase) => Backoff(attempt, options),
        >= 500 and not 501 and not 505 => Backoff(attempt, options),
        _ => null,
    };

    /// <summary>A connection that failed or broke is worth another try; a certificate the client refuses is not.</summary>
    public static bool IsTransient(HttpRequestException e) => e.InnerException is not AuthenticationException;

    /// <summary>Exponential, capped, with the upper half random so many clients that failed together do not return together.</summary>
    public static TimeSpan Backoff(int attempt, RetryOptions options)
    {
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.Delay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}
