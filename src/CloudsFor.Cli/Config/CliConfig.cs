using System.Text.Json;

namespace CloudsFor.Cli.Config;

/// <summary>One server the CLI is logged in to: never a password, only the token made for the CLI at login.</summary>
public sealed record CliContext(string Url, string Username, string Token, string? TokenId = null, string? CaFile = null);

/// <summary>The contexts and which one is in use, as stored in config.json.</summary>
public sealed record CliConfig(string? CurrentContext, Dictionary<string, CliContext> Contexts)
{
    public static CliConfig Empty => new(null, new Dictionary<string, CliContext>(StringComparer.Ordinal));

    /// <summary>$XDG_CONFIG_HOME/cloudsfor/config.json, else ~/.config/cloudsfor/config.json.</summary>
    public static string FilePath()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = xdg is { Length: > 0 } && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "cloudsfor", "config.json");
    }

    public static CliConfig Load()
    {
        var path = FilePath();
        if (!File.Exists(path))
            return Empty;
        try
        {
            var config = JsonSerializer.Deserialize(File.ReadAllText(path), CliJson.Default.CliConfig) ?? Empty;
            return config with { Contexts = new Dictionary<string, CliContext>(config.Contexts ?? [], StringComparer.Ordinal) };
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not a CloudsFor config file ({e.Message}); remove it and log in again");
        }
    }

    /// <summary>
    /// Written to a new file of mode 0600 beside the old one, then renamed over it: a reader never sees half a file,
    /// and the token is never readable by others, not even for a moment.
    /// </summary>
    public void Save()
    {
        var path = FilePath();
        var folder = Path.GetDirectoryName(path)!;
        const UnixFileMode privateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the config file's permissions are Unix modes");
        if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, privateFolder);
        else
            File.SetUnixFileMode(folder, privateFolder);
        var temporary = Path.Combine(folder, $".config.json.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, CliJson.Default.CliConfig);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
