using System.Diagnostics;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A fresh folder under the temp path, removed on Dispose or, at the latest, when the test process ends.
/// ProcessExit handlers cannot promise that: the test runner kills the test host (and what it started)
/// right after the run, in the middle of them. So each folder has a watcher outside the test host's
/// process tree, waiting for the end of a pipe the test process holds. A plain end of the pipe means the
/// test process died without Dispose: the watcher kills what still runs in the folder (a server, its
/// VMs) and removes it. Dispose removes the folder itself and tells the watcher "done".
/// </summary>
public sealed class TempFolder : IDisposable
{
    // The subshell in the background outlives the shell started here, so killing the test host's tree misses it.
    // The folder comes in the environment, not the command line, so the sweep never matches the watcher itself.
    const string Watcher = """
        exec 3<&0 </dev/null >/dev/null 2>&1
        (
          read -r line <&3
          [ "$line" = done ] && exit
          for p in /proc/[0-9]*; do
            grep -qaF -- "$CLOUDSFOR_TEMP_FOLDER" "$p/cmdline" && kill -9 "${p#/proc/}"
          done
          rm -rf -- "$CLOUDSFOR_TEMP_FOLDER"
        ) &
        """;

    readonly Process watcher;

    public TempFolder(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Watcher);
        start.Environment["CLOUDSFOR_TEMP_FOLDER"] = Path;
        watcher = Process.Start(start)!;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
                Directory.Delete(Path, recursive: true);
            watcher.StandardInput.WriteLine("done");
        }
        catch (IOException)
        {
            // Something still writes into the folder: without "done", the watcher kills it and removes the folder.
        }
        watcher.StandardInput.Close();
        watcher.Dispose();
    }
}
