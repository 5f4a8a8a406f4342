using CloudsFor.Client.Models;
using Spectre.Console;

namespace CloudsFor.Cli;

/// <summary>`image upload`: the file streamed to the server, with a progress bar on stderr only on a terminal.</summary>
public static class Uploader
{
    public static async Task<Image> Send(Invocation run, string imageId, string path)
    {
        await using var file = File.OpenRead(path);
        if (Console.IsErrorRedirected)
            return await run.Client.Images.UploadAsync(imageId, file, null, run.Cancel);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: Math.Max(1, file.Length));
                return await run.Client.Images.UploadAsync(imageId, file, new Reporter(sent => bar.Value = sent), run.Cancel);
            });
    }

    /// <summary>Reports on the sending thread, in order: Progress&lt;T&gt; would post each count to the thread pool.</summary>
    sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
