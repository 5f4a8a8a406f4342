namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (tools/postgres-for-tests.sh), for tests that stop the database under a
/// server; the suite's shared cluster must stay up for every other test.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    readonly TempFolder folder;
    bool running;

    PostgresCluster(TempFolder folder, Uri url)
    {
        this.folder = folder;
        Url = url;
    }

    /// <summary>postgres://postgres@127.0.0.1:PORT/postgres</summary>
    public Uri Url { get; }

    public static async Task<PostgresCluster> Start()
    {
        var folder = new TempFolder("cloudsfor-pg-");
        // The cluster runs as the postgres user, who must reach its folder inside this one.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_101_101);
        // The URL is the line on stdout; what runuser or initdb say on stderr (a warning on a loaded machine) is not it.
        var started = await Tools.Start(Poll.DefaultDeadline, Script, ["start", Path.Combine(folder.Path, "cluster")]);
        var url = started.Stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("postgres://", StringComparison.Ordinal));
        if (started.ExitCode != 0 || url is null)
        {
            folder.Dispose();
            throw new InvalidOperationException("tools/postgres-for-tests.sh start failed: " + started);
        }
        return new PostgresCluster(folder, new Uri(url)) { running = true };
    }

    /// <summary>Stops the cluster (a fast shutdown: connections are cut, as in a restart or a crash of the database).</summary>
    public async Task Stop()
    {
        await Run("stop");
        running = false;
    }

    /// <summary>Starts the stopped cluster again on its port.</summary>
    public async Task Resume()
    {
        await Run("resume");
        running = true;
    }

    async Task Run(string command)
    {
        var (code, output) = await Tools.Run(Script, command, Path.Combine(folder.Path, "cluster"));
        if (code != 0)
            throw new InvalidOperationException($"tools/postgres-for-tests.sh {command} failed: {output}");
    }

    public void Dispose()
    {
        if (running)
            Tools.Run(Script, "stop", Path.Combine(folder.Path, "cluster")).GetAwaiter().GetResult();
        folder.Dispose();
    }

    static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CloudsFor.slnx")))
                    return Path.Combine(dir.FullName, "tools", "postgres-for-tests.sh");
            throw new DirectoryNotFoundException("no CloudsFor.slnx above " + AppContext.BaseDirectory);
        }
    }
}
