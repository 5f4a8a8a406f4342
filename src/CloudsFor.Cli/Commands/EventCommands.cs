using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CloudsFor.Cli.Output;
using CloudsFor.Client;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor events`: the account's changes as they happen, one line each, until Ctrl+C.</summary>
public static class EventCommands
{
    /// <summary>One compact object per line (JSON Lines): `-o json` of a stream must be readable line by line by jq.</summary>
    static readonly JsonTypeInfo<CloudEvent> OneLine =
        (JsonTypeInfo<CloudEvent>)new JsonSerializerOptions(CliJson.Default.Options) { WriteIndented = false }.GetTypeInfo(typeof(CloudEvent));

    public static Command Build()
    {
        var types = Many("--resource-type", "only these resource types: vm, action, image, domain, domain_record, token, ssh_key", "TYPES");
        var ids = Many("--resource-id", "only these resources (ids; a domain's name)", "IDS");
        var since = new Option<long?>("--since") { Description = "resume after this event id (the ID column) instead of starting now", HelpName = "EVENT_ID" };
        var max = Number("--max-events", "stop after this many events (else it runs until Ctrl+C)");
        return Command("events",
            "follow the account's changes as they happen (VMs, actions, images, domains, records, tokens), one line each",
            "cloudsfor events\ncloudsfor events --resource-type vm,action --format ID,Time,Type,ResourceID,Status\ncloudsfor events -o json | jq -c '{type, resource_id}'",
            types, ids, since, max).Does(async run =>
        {
            var filter = new EventFilter(Split(run.Get(types)), Split(run.Get(ids)));
            var limit = run.Get(max);
            if (limit is <= 0)
                throw new UsageException("--max-events: give a number above 0");
            var columns = Printer.Select(Columns.Event, run.Format);
            if (!run.NoHeader && !run.Json)
                WriteRow(columns, columns.Select(c => c.Name).ToList());
            var seen = 0;
            try
            {
                await foreach (var change in run.Client.Events.StreamAsync(filter, run.Get(since), run.Cancel))
                {
                    if (run.Json)
                        Console.Out.WriteLine(JsonSerializer.Serialize(change, OneLine));
                    else
                        WriteRow(columns, columns.Select(c => c.Read(change) ?? "").ToList());
                    if (++seen == limit)
                        return;
                }
            }
            catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
            {
                // Ctrl+C is how a follow ends: not an error.
            }
        });
    }

    /// <summary>
    /// Rows come one at a time, so a terminal gets fixed widths instead of a table measured over all rows; a pipe gets
    /// tab-separated lines, as every other command's.
    /// </summary>
    static void WriteRow(IReadOnlyList<Column<CloudEvent>> columns, IReadOnlyList<string> cells)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(string.Join('\t', cells.Select(c => c.ReplaceLineEndings(" ").Replace('\t', ' '))));
            return;
        }
        Console.Out.WriteLine(string.Join("  ", cells.Select((c, i) => c.PadRight(Widths.GetValueOrDefault(columns[i].Name, 20)))).TrimEnd());
    }

    /// <summary>Wide enough for what each column holds (ids are 32 characters; the longest type is domain_record.created).</summary>
    static readonly Dictionary<string, int> Widths = new()
    {
        ["ID"] = 8, ["Time"] = 8, ["Type"] = 21, ["ResourceID"] = 32, ["Status"] = 11, ["ResourceType"] = 13, ["Name"] = 20, ["OccurredAt"] = 19,
    };
}
