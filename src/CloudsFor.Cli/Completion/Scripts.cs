using System.Text;
using CloudsFor.Cli.Commands;

namespace CloudsFor.Cli.Completion;

/// <summary>
/// The bash and zsh scripts. Both share the same plain-shell lookup functions: the words after a command path, whether an
/// option takes a value (so its value is not read as a command), and the fixed values of an option.
/// </summary>
public static class Scripts
{
    public static string Bash(CompletionCommand.CommandTree tree) => Lookups(tree) + """
        _cloudsfor() {
            local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
            local cmdpath="" next i w skip=0
            for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                if ((skip)); then skip=0; continue; fi
                if [[ $w == -* ]]; then
                    _cloudsfor_valued "$w" && skip=1
                    continue
                fi
                next=${cmdpath:+$cmdpath }$w
                _cloudsfor_is_command "$next" && cmdpath=$next
            done
            if ((COMP_CWORD > 1)) && [[ $prev == -* ]] && _cloudsfor_valued "$prev"; then
                if _cloudsfor_file "$prev"; then
                    COMPREPLY=($(compgen -f -- "$cur"))
                else
                    COMPREPLY=($(compgen -W "$(_cloudsfor_values "$prev")" -- "$cur"))
                fi
                return 0
            fi
            COMPREPLY=($(compgen -W "$(_cloudsfor_pick "$cur" $(_cloudsfor_words "$cmdpath"))" -- "$cur"))
        }
        complete -F _cloudsfor cloudsfor

        """;

    public static string Zsh(CompletionCommand.CommandTree tree) => "#compdef cloudsfor\n" + Lookups(tree) + """
        _cloudsfor() {
            local cmdpath="" next w prev=${words[CURRENT-1]}
            local -i i skip=0
            for ((i = 2; i < CURRENT; i++)); do
                w=${words[i]}
                if ((skip)); then skip=0; continue; fi
                if [[ $w == -* ]]; then
                    _cloudsfor_valued "$w" && skip=1
                    continue
                fi
                next=${cmdpath:+$cmdpath }$w
                _cloudsfor_is_command "$next" && cmdpath=$next
            done
            if ((CURRENT > 2)) && [[ $prev == -* ]] && _cloudsfor_valued "$prev"; then
                if _cloudsfor_file "$prev"; then
                    _files
                else
                    compadd -- ${=$(_cloudsfor_values "$prev")}
                fi
                return
            fi
            compadd -- ${=$(_cloudsfor_pick "$PREFIX" ${=$(_cloudsfor_words "$cmdpath")})}
        }
        compdef _cloudsfor cloudsfor

        """;

    static string Lookups(CompletionCommand.CommandTree tree)
    {
        var script = new StringBuilder();
        script.AppendLine("# cloudsfor shell completion, printed by `cloudsfor completion`: commands, options and fixed values.");
        script.AppendLine("_cloudsfor_words() {");
        script.AppendLine("    case \"$1\" in");
        foreach (var node in tree.Nodes)
            script.AppendLine($"        \"{node.Path}\") echo \"{string.Join(' ', node.Words)}\" ;;");
        script.AppendLine("    esac");
        script.AppendLine("}");
        script.AppendLine("_cloudsfor_is_command() {");
        script.AppendLine("    case \"$1\" in");
        script.AppendLine($"        {string.Join('|', tree.Nodes.Where(n => n.Path.Length > 0).Select(n => $"\"{n.Path}\""))}) return 0 ;;");
        script.AppendLine("    esac");
        script.AppendLine("    return 1");
        script.AppendLine("}");
        script.AppendLine($"_cloudsfor_valued() {{ case \"$1\" in {string.Join('|', tree.ValuedOptions)}) return 0 ;; esac; return 1; }}");
        script.AppendLine($"_cloudsfor_file() {{ case \"$1\" in {string.Join('|', tree.FileOptions)}) return 0 ;; esac; return 1; }}");
        // Options only once a dash is typed, as gh and kubectl do: else the commands and values are lost among them.
        script.AppendLine("_cloudsfor_pick() {");
        script.AppendLine("    local cur=$1 w; shift");
        script.AppendLine("    for w in \"$@\"; do");
        script.AppendLine("        if [[ $cur == -* ]]; then [[ $w == -* ]] && echo \"$w\"; else [[ $w != -* ]] && echo \"$w\"; fi");
        script.AppendLine("    done");
        script.AppendLine("    return 0");
        script.AppendLine("}");
        script.AppendLine("_cloudsfor_values() {");
        script.AppendLine("    case \"$1\" in");
        foreach (var (option, values) in tree.OptionValues)
            script.AppendLine($"        {option}) echo \"{string.Join(' ', values)}\" ;;");
        script.AppendLine("    esac");
        script.AppendLine("}");
        return script.ToString();
    }
}
