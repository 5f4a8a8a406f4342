using CloudsFor.Client.Models;

namespace CloudsFor.Cli.Commands;

/// <summary>
/// SSH keys named on the command line: the API takes ids and fingerprints, and people remember names, so the name
/// of one saved key stands for its id. Anything else (an id, a fingerprint, a key line) goes to the API as given.
/// </summary>
public static class KeyRefs
{
    public static async Task<string> One(Invocation run, string value) => (await Map(run, [value]))[0];

    public static async Task<List<string>> Map(Invocation run, IReadOnlyList<string> values)
    {
        if (values.All(v => v.Contains(' ')))
            return [.. values];
        var saved = new List<SshKey>();
        await foreach (var key in run.Client.SshKeys.ListAsync(200, run.Cancel))
            saved.Add(key);
        return values.Select(v => Named(saved, v)).ToList();
    }

    static string Named(List<SshKey> saved, string value)
    {
        if (value.Contains(' ') || saved.Any(k => k.Id == value || k.Fingerprint == value || k.FingerprintSha256 == value))
            return value;
        var named = saved.Where(k => k.Name == value).ToList();
        return named switch
        {
            [var one] => one.Id,
            [] => value,
            _ => throw new UsageException($"{named.Count} of your SSH keys are named {value}: give the id or fingerprint of one"),
        };
    }
}
