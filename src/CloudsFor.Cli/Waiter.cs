using System.Diagnostics;
using CloudsFor.Client;
using CloudsFor.Client.Models;
using Spectre.Console;

namespace CloudsFor.Cli;

/// <summary>--wait: follows actions (and a new VM's console) until done, within --timeout, with a spinner only on a terminal.</summary>
public static class Waiter
{
    /// <summary>What the guest's init prints on the serial console once it is up (both drivers).</summary>
    public const string ReadyMarker = "cloudsfor: ready";

    public static Task<CloudAction> ForAction(Invocation run, CloudAction action) =>
        Spin(run, action.Type, (status, token) => Follow(run, action.Id, action.Type, status, token));

    /// <summary>The create action completed and the guest said it is ready on its console: more than doctl's `active`.</summary>
    public static Task ForReadyVm(Invocation run, string vmId, string actionId) =>
        Spin(run, "create", async (status, token) =>
        {
            await Follow(run, actionId, "create", status, token);
            status("create: waiting for the guest");
            return await Guarded(run, $"VM {vmId} to print '{ReadyMarker}' on its console", async () =>
            {
                while (true)
                {
                    var console = await run.Client.Console.GetAsync(vmId, 1000, token);
                    if (console.Output.Contains(ReadyMarker, StringComparison.Ordinal))
                        return true;
                    await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                }
            });
        });

    /// <summary>A custom image until it is available; errored is exit code 1 with the server's error_message.</summary>
    public static Task<Image> ForImage(Invocation run, string imageId) =>
        Spin(run, "image", (status, token) => Guarded(run, $"image {imageId}", async () =>
        {
            try
            {
                return await run.Client.Images.WaitForImageAsync(imageId,
                    new Progress<Image>(i => status(i.Import is { } p ? $"image: {i.Status}, {p.BytesDone} bytes in" : $"image: {i.Status}")), token);
            }
            catch (WaitFailedException e)
            {
                throw new CliFailure($"image {imageId} errored: {e.Image?.ErrorMessage ?? e.Message}");
            }
        }));

    static Task<CloudAction> Follow(Invocation run, string actionId, string type, Action<string> status, CancellationToken token) =>
        Guarded(run, $"action {actionId} ({type})", async () =>
        {
            try
            {
                return await run.Client.Actions.WaitForActionAsync(actionId, new Progress<CloudAction>(a => status($"{a.Type}: {a.Status}")), token);
            }
            catch (WaitFailedException e)
            {
                throw new CliFailure($"action {actionId} ({type}) errored: {e.Action?.Error ?? e.Message}");
            }
        });

    /// <summary>A cancelled wait becomes exit code 3 when it was the --timeout that cancelled it.</summary>
    static async Task<T> Guarded<T>(Invocation run, string what, Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            throw new WaitTimeoutException($"timed out after {Describe(run.Timeout)} waiting for {what}; it goes on in the background");
        }
    }

    static async Task<T> Spin<T>(Invocation run, string label, Func<Action<string>, CancellationToken, Task<T>> work)
    {
        if (Console.IsErrorRedirected)
            return await work(_ => { }, run.WaitToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var clock = Stopwatch.StartNew();
        var text = label;
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(text), async context =>
        {
            var task = work(s => text = s, run.WaitToken);
            while (!task.IsCompleted)
            {
                context.Status = Markup.Escape($"{text}  {clock.Elapsed:mm\\:ss}");
                await Task.WhenAny(task, Task.Delay(200));
            }
            return await task;
        });
    }

    static string Describe(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.#}s" : span.TotalMinutes < 60 ? $"{span.TotalMinutes:0.#}m" : $"{span.TotalHours:0.#}h";
}
