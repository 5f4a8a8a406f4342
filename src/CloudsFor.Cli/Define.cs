using System.CommandLine;

namespace CloudsFor.Cli;

/// <summary>Small helpers that keep command definitions one readable block each.</summary>
public static class Define
{
    /// <summary>Each command's examples, which its --help prints after the options (see <see cref="HelpWithExamples"/>).</summary>
    public static readonly Dictionary<Command, string> Examples = [];

    /// <summary>A command whose help ends with its examples.</summary>
    public static Command Command(string name, string description, string examples, params Symbol[] children)
    {
        var command = new Command(name, description);
        Examples[command] = examples;
        foreach (var child in children)
        {
            switch (child)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                case Command sub: command.Subcommands.Add(sub); break;
            }
        }
        return command;
    }

    /// <summary>A group of subcommands (vm, domain, …): its help lists them.</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var sub in subcommands)
            group.Subcommands.Add(sub);
        return group;
    }

    /// <summary>Runs the body with an <see cref="Invocation"/>; failures become the documented exit codes in <see cref="Cli"/>.</summary>
    public static Command Does(this Command command, Func<Invocation, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var run = new Invocation(parse, cancellationToken);
            await body(run);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Argument<string> Id(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string description, string helpName, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = helpName };

    public static Option<string> Required(string name, string description, string helpName, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = helpName, Required = true };

    public static Option<int?> Number(string name, string description, string helpName = "N") =>
        new(name) { Description = description, HelpName = helpName };

    public static Option<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>Values given comma-separated, repeated, or both: --tag-names a,b --tag-names c.</summary>
    public static Option<string[]> Many(string name, string description, string helpName, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = helpName, AllowMultipleArgumentsPerToken = false };

    public static IReadOnlyList<string>? Split(string[]? values) =>
        values is null or [] ? null : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
