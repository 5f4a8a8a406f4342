using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.Text;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>
/// `cloudsfor completion bash|zsh`: a script with the whole command tree in it (commands, options, fixed values),
/// written from the same definitions the parser uses, so it cannot drift; a Tab costs no process start.
/// </summary>
public static class CompletionCommand
{
    public static Command Build()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" }.AcceptOnlyFromAmong("bash", "zsh");
        return Command("completion", "print a shell completion script for bash or zsh",
            "cloudsfor completion bash > ~/.local/share/bash-completion/completions/cloudsfor\n" +
            "source <(cloudsfor completion bash)     # or this in ~/.bashrc\n" +
            "source <(cloudsfor completion zsh)      # in ~/.zshrc, after compinit",
            shell).Does(run =>
        {
            var tree = Tree(Cli.Root.Value);
            Console.Out.Write(run.Get(shell) == "bash" ? Completion.Scripts.Bash(tree) : Completion.Scripts.Zsh(tree));
            return Task.CompletedTask;
        });
    }

    /// <summary>Each command path ("" for the root, "vm create", …) with the words that may follow it.</summary>
    public sealed record Node(string Path, IReadOnlyList<string> Words);

    public sealed record CommandTree(IReadOnlyList<Node> Nodes, IReadOnlyList<string> ValuedOptions, IReadOnlyList<string> FileOptions,
        IReadOnlyDictionary<string, IReadOnlyList<string>> OptionValues);

    static CommandTree Tree(RootCommand root)
    {
        var nodes = new List<Node>();
        var valued = new SortedSet<string>(StringComparer.Ordinal);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var values = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var globals = root.Options.Where(o => o.Recursive).ToList();

        void Walk(Command command, string path)
        {
            var words = new List<string>();
            words.AddRange(command.Subcommands.Select(c => c.Name));
            foreach (var argument in command.Arguments)
                words.AddRange(argument.GetCompletions(CompletionContext.Empty).Select(c => c.Label));
            foreach (var option in command.Options.Concat(command == root ? [] : globals))
            {
                if (option is VersionOption)
                    continue;
                // Only the POSIX spellings: "/?" and "-?" are for Windows users, and "-?" would be a glob in the script's case patterns.
                var names = new[] { option.Name }.Concat(option.Aliases).Where(n => n.StartsWith('-') && n != "-?").ToList();
                words.AddRange(names);
                if (option.ValueType == typeof(bool) || option is HelpOption)
                    continue;
                foreach (var name in names)
                {
                    valued.Add(name);
                    if (option.HelpName is "FILE" or "KEYS")
                        files.Add(name);
                    var fixedValues = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
                    if (fixedValues.Count > 0)
                        values[name] = fixedValues;
                }
            }
            nodes.Add(new Node(path, words.Distinct().ToList()));
            foreach (var sub in command.Subcommands)
                Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}");
        }

        Walk(root, "");
        return new CommandTree(nodes, valued.ToList(), files.ToList(), values);
    }
}
