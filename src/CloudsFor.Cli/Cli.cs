using System.CommandLine;
using System.CommandLine.Invocation;
using System.Security.Authentication;
using CloudsFor.Cli.Commands;
using CloudsFor.Client;

namespace CloudsFor.Cli;

/// <summary>
/// The `cloudsfor` command line: every command but serve and admin (which the server program keeps) comes here.
/// Parse errors exit 2, API errors 1, a --wait past its --timeout 3.
/// </summary>
public static class Cli
{
    public const string ExitCodeHelp =
        "exit codes: 0 ok, 1 the API refused or the server could not be reached, 2 usage error (bad flag, missing argument, not logged in), " +
        "3 timed out waiting (--wait/--timeout)";

    // Built once per process: the server program asks whether a word is ours, then runs it, and each build
    // registers every command's examples again (Define.Examples).
    internal static readonly Lazy<RootCommand> Root = new(Build);

    public static RootCommand Build()
    {
        var root = new RootCommand($"cloudsfor: drive a CloudsFor cloud from the command line.\n{ExitCodeHelp}");
        foreach (var option in new Option[] { Globals.Context, Globals.Output, Globals.Format, Globals.NoHeader, Globals.Verbose })
            root.Options.Add(option);
        foreach (var command in new[]
                 {
                     LoginCommands.Login(), LoginCommands.Context(), VmCommands.Build(), ActionCommands.Build(), CatalogCommands.Images(),
                     CatalogCommands.Sizes(), CatalogCommands.Regions(), DomainCommands.Domains(), DomainCommands.Records(),
                     AccountCommands.Tokens(), KeyCommands.Build(), TagCommands.Build(), VolumeCommands.Build(), SnapshotCommands.Build(), AccountCommands.Users(), AccountCommands.Account(), EventCommands.Build(), CompletionCommand.Build(),
                 })
            root.Subcommands.Add(command);
        HelpWithExamples.Install(root);
        return root;
    }

    /// <summary>Whether a command line starting with this word is the CLI's (the server program keeps the rest).</summary>
    public static bool Handles(string firstArgument) =>
        firstArgument.StartsWith('-') || Root.Value.Subcommands.Any(c => c.Name == firstArgument);

    /// <summary>The CLI's part of `cloudsfor --help`: one line per command, and the exit codes.</summary>
    public static string Overview()
    {
        var lines = new List<string> { "Client commands (cloudsfor COMMAND --help shows each one's subcommands, options and examples):" };
        foreach (var command in Root.Value.Subcommands)
            lines.Add($"  {command.Name,-12} {FirstLine(command.Description)}");
        lines.Add(ExitCodeHelp);
        return string.Join('\n', lines);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Root.Value.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"Error: {error.Message}");
            var path = string.Join(' ', parse.CommandResult.Command is RootCommand ? [] : CommandPath(parse.CommandResult));
            Console.Error.WriteLine($"Run 'cloudsfor {(path.Length > 0 ? path + " " : "")}--help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    static int Report(Exception failure)
    {
        var error = Console.Error;
        switch (failure)
        {
            case ApiException e:
                error.WriteLine($"Error: {e.ServerMessage} (status {e.Status} {e.Id}, request id {e.RequestId ?? "none"})");
                foreach (var field in e.Errors)
                    error.WriteLine($"  {field.Field}: {field.Message}");
                return ExitCodes.ApiError;
            case UsageException e:
                error.WriteLine($"Error: {e.Message}");
                return ExitCodes.Usage;
            case WaitTimeoutException e:
                error.WriteLine($"Error: {e.Message}");
                return ExitCodes.Timeout;
            case HttpRequestException e:
                var tls = e.InnerException is AuthenticationException ? " (is --ca-file the server's tls/ca.pem?)" : "";
                error.WriteLine($"Error: cannot reach the server: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}{tls}");
                return ExitCodes.ApiError;
            case OperationCanceledException:
                error.WriteLine("Error: interrupted");
                return 130;
            case CliFailure or WaitFailedException or TimeoutException or IOException or UnauthorizedAccessException:
                error.WriteLine($"Error: {failure.Message}");
                return ExitCodes.ApiError;
            default:
                throw failure;
        }
    }

    static IEnumerable<string> CommandPath(System.CommandLine.Parsing.SymbolResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is System.CommandLine.Parsing.CommandResult c && c.Command is not RootCommand; r = r.Parent)
            names.Push(c.Command.Name);
        return names;
    }

    static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0];
}
