using CloudsFor.Dns;
using Microsoft.Extensions.Logging;

namespace CloudsFor.Tests.Dns;

/// <summary>Failed DNS queries are warnings, one per kind of fault every 10 s, each saying how many of its kind went unlogged.</summary>
public sealed class QueryFaultsTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    sealed class Lines : ILogger<QueryFaults>
    {
        public readonly List<(LogLevel Level, string Text)> Logged = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Logged.Add((logLevel, formatter(state, exception)));
    }

    static Exception ParseFailure() => new("Error parsing dns query", new IndexOutOfRangeException());

    [Fact]
    public void A_flood_of_one_fault_is_one_warning_per_10_seconds_with_the_count_of_the_rest()
    {
        var (clock, log) = (new Clock(), new Lines());
        var faults = new QueryFaults(clock, log);
        for (var i = 0; i < 1000; i++)
            faults.Report(ParseFailure());
        clock.Now += TimeSpan.FromSeconds(9.9);
        faults.Report(ParseFailure());
        clock.Now += TimeSpan.FromSeconds(0.1);
        faults.Report(ParseFailure());

        Assert.Equal(
        [
            (LogLevel.Warning, "DNS: a query failed (System.Exception/System.IndexOutOfRangeException); 0 more of this kind since the last such warning, which comes at most every 10 s"),
            (LogLevel.Warning, "DNS: a query failed (System.Exception/System.IndexOutOfRangeException); 1000 more of this kind since the last such warning, which comes at most every 10 s"),
        ], log.Logged);
    }

    [Fact]
    public void Each_kind_of_fault_has_its_own_warning()
    {
        var (clock, log) = (new Clock(), new Lines());
        var faults = new QueryFaults(clock, log);
        faults.Report(ParseFailure());
        faults.Report(new Exception("Error parsing dns query", new ArgumentException()));
        faults.Report(new InvalidOperationException("in the handler"));
        faults.Report(ParseFailure());
        Assert.Equal(3, log.Logged.Count);
    }
}
