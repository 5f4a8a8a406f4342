namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// Waiting for state the way a client does: ask again until the answer is the expected one or a
/// deadline passes. The short pause between asks is a polling interval, never a guess at how long
/// the server needs.
/// </summary>
public static class Poll
{
    // Long enough for a real VM's graceful shutdown (the qemu driver waits up to 30 s before forcing it) on a loaded machine.
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(90);
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(40);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var giveUpAt = DateTime.UtcNow + limit;
        while (true)
        {
            var last = await probe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > giveUpAt)
                Assert.Fail($"{what} did not happen within {limit.TotalSeconds} s; last answer: {last}");
            await Task.Delay(Interval);
        }
    }
}
