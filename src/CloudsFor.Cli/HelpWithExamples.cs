using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CloudsFor.Cli;

/// <summary>
/// --help as System.CommandLine writes it, then the command's examples: in the description they would also be
/// repeated in every parent's list of subcommands.
/// </summary>
public sealed class HelpWithExamples(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var code = standard.Invoke(parseResult);
        if (Define.Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in examples.Split('\n'))
                output.WriteLine("  " + line);
            output.WriteLine();
        }
        return code;
    }

    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamples((HelpAction)help.Action!);
    }
}
