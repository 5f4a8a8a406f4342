using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client;

namespace CloudsFor.Cli;

/// <summary>One run of one command: its parsed line, its output, the client it connects lazily, and its wait deadline.</summary>
public sealed class Invocation : IDisposable
{
    readonly ParseResult parse;
    readonly CancellationTokenSource deadline;
    CloudsForClient? client;

    public Invocation(ParseResult parse, CancellationToken cancellationToken)
    {
        this.parse = parse;
        Cancel = cancellationToken;
        Out = new Printer(parse.GetValue(Globals.Output) == "json", parse.GetValue(Globals.Format), parse.GetValue(Globals.NoHeader));
        Timeout = parse.GetResult(Globals.Timeout) is not null ? parse.GetValue(Globals.Timeout) : TimeSpan.FromMinutes(10);
        Wait = parse.GetResult(Globals.Wait) is not null && parse.GetValue(Globals.Wait);
        // The --timeout clock starts with the command, so a create and its wait together stay within it.
        deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
    }

    public CancellationToken Cancel { get; }
    public Printer Out { get; }
    public bool Wait { get; }
    public TimeSpan Timeout { get; }
    public bool Json => parse.GetValue(Globals.Output) == "json";
    public string? Format => parse.GetValue(Globals.Format);
    public bool NoHeader => parse.GetValue(Globals.NoHeader);

    /// <summary>Waits use this token: cancelled by Ctrl+C or when --timeout has passed.</summary>
    public CancellationToken WaitToken => deadline.Token;

    public bool TimedOut => deadline.IsCancellationRequested && !Cancel.IsCancellationRequested;

    public CloudsForClient Client => client ??= Session.Connect(parse.GetValue(Globals.Context), parse.GetValue(Globals.Verbose));

    public T Get<T>(Option<T> option) => parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    public bool Has(Option option) => parse.GetResult(option) is { Implicit: false };

    public void Dispose()
    {
        client?.Dispose();
        deadline.Dispose();
    }
}
