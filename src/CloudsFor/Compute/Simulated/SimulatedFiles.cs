using CloudsFor.Store;

namespace CloudsFor.Compute.Simulated;

/// <summary>
/// The simulated driver kept its state in files under DATA/simulated/ before it moved into the store: a VM's state and
/// console log beside each other, volumes, VM snapshots (images) and volume snapshots in subfolders. A store from then
/// gets them imported once, and the folder renamed to simulated.imported, so nothing a user had is lost.
/// </summary>
public static class SimulatedFiles
{
    static readonly (string Kind, string Folder)[] Sources =
    [
        (SimulatedDriver.VmKind, ""), (SimulatedDriver.VolumeKind, "volumes"), (SimulatedDriver.ImageKind, "images"),
        (SimulatedDriver.VolumeSnapshotKind, "volume-snapshots"),
    ];

    /// <summary>Imports the files under <paramref name="folder"/> if it holds any; returns how many objects they were.</summary>
    public static async Task<int> Import(Db db, string folder)
    {
        var files = Sources
            .Where(source => Directory.Exists(Path.Combine(folder, source.Folder)))
            .SelectMany(source => Directory.GetFiles(Path.Combine(folder, source.Folder), "*.json").Select(file => (source.Kind, File: file)))
            .ToList();
        if (files.Count == 0)
            return 0;
        await db.Write(async (c, t) =>
        {
            foreach (var (kind, file) in files)
            {
                var id = Path.GetFileNameWithoutExtension(file);
                // Never over what a server changed since: an import cut short before the rename runs again at the next start.
                await SimulatedSql.Add(c, t, kind, id, await File.ReadAllTextAsync(file));
                var log = Path.Combine(folder, id + ".log");
                if (kind != SimulatedDriver.VmKind || !File.Exists(log) || await SimulatedSql.ConsoleCount(c, t, id) > 0)
                    continue;
                var lines = ConsoleLog.Tail(log, SimulatedSql.ConsoleLines).Split('\n');
                foreach (var line in lines[..^1])
                    await SimulatedSql.Print(c, t, id, line);
            }
        });
        var imported = folder + ".imported";
        for (var n = 2; Directory.Exists(imported); n++)
            imported = $"{folder}.imported-{n}";
        Directory.Move(folder, imported);
        return files.Count;
    }
}
