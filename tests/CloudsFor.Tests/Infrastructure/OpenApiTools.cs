using System.Security.Cryptography;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>
/// Third-party OpenAPI tools as a new user would run them: the npm packages pinned in tools/openapi-check
/// (redocly, spectral, openapi-typescript, tsc, prism) and Kiota, pinned in its dotnet tool manifest there.
/// Installed once per test run, under a file lock so two runs in one checkout do not install over each other,
/// and skipped when node_modules already holds what package-lock.json names.
/// </summary>
public static class OpenApiTools
{
    static readonly TimeSpan InstallDeadline = TimeSpan.FromMinutes(10);
    static readonly Lazy<Task> installed = new(Install);

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Folder => Path.Combine(RepoRoot, "tools", "openapi-check");
    public static string ProbeFolder => Path.Combine(RepoRoot, "tests", "OpenApiClients");

    public static Task EnsureInstalled() => installed.Value;

    /// <summary>A program of node_modules/.bin, run in tools/openapi-check.</summary>
    public static Task<ToolResult> Npm(string program, params string[] args) =>
        Run(TimeSpan.FromMinutes(3), Folder, Path.Combine(Folder, "node_modules", ".bin", program), args);

    /// <summary>Kiota from the tool manifest; offline, as the generator must not need the network.</summary>
    public static Task<ToolResult> Kiota(params string[] args) =>
        Run(TimeSpan.FromMinutes(3), Folder, "dotnet", ["kiota", .. args]);

    public static Task<ToolResult> Run(TimeSpan deadline, string folder, string program, string[] args, IDictionary<string, string>? environment = null) =>
        Tools.Start(deadline, program, args, folder, Quiet.Concat(environment ?? new Dictionary<string, string>()),
            "tools/openapi-check needs node and npm");

    // No telemetry, update checks or build servers outliving the test: only 127.0.0.1 may be reached.
    static readonly Dictionary<string, string> Quiet = new()
    {
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
        ["KIOTA_OFFLINE_ENABLED"] = "true",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["NO_UPDATE_NOTIFIER"] = "1",
    };

    static async Task Install()
    {
        await using var held = await Lock(Path.Combine(Folder, ".install.lock"));
        var stamp = Path.Combine(Folder, "node_modules", ".cloudsfor-lock-hash");
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"))));
        if (!File.Exists(stamp) || await File.ReadAllTextAsync(stamp) != hash)
        {
            var npm = await Run(InstallDeadline, Folder, "npm", ["ci", "--no-audit", "--no-fund"]);
            Assert.True(npm.ExitCode == 0, $"npm ci in tools/openapi-check failed: {npm}");
            await File.WriteAllTextAsync(stamp, hash);
        }
        var restore = await Run(InstallDeadline, Folder, "dotnet", ["tool", "restore"]);
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore in tools/openapi-check failed: {restore}");
    }

    static async Task<FileStream> Lock(string path)
    {
        var deadline = DateTime.UtcNow + InstallDeadline;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloudsFor.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("CloudsFor.slnx not found above " + AppContext.BaseDirectory);
    }
}
