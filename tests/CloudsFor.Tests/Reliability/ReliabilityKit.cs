using System.Text;
using System.Text.Json.Nodes;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Reliability;

/// <summary>What the reliability tests share: a catalog with room for thousands of VMs, the store's own checks, and an account's visible state.</summary>
public static class ReliabilityKit
{
    // Kept for the whole run (the servers of several tests read it); its watcher removes it when the run ends.
    static readonly Lazy<TempFolder> BigCatalogFolder = new(() => new TempFolder("cloudsfor-big-catalog-"));

    static readonly Lazy<string> BigCatalogFile = new(() =>
    {
        var catalog = JsonNode.Parse(CloudsFor.Model.Catalog.DefaultText())!;
        foreach (var region in catalog["regions"]!.AsArray())
            region!["capacity"] = new JsonObject { ["vcpus"] = 10_000_000, ["memory"] = 10_000_000_000L, ["disk"] = 10_000_000_000L };
        var path = Path.Combine(BigCatalogFolder.Value.Path, "catalog.json");
        File.WriteAllText(path, catalog.ToJsonString());
        return path;
    });

    /// <summary>Server arguments for a catalog whose regions never run out (the default /16 ranges still hold 65,000 VMs each).</summary>
    public static string[] BigCatalog => ["--catalog", BigCatalogFile.Value];

    /// <summary>
    /// SQLite's own checks of a store no server has open: the file is sound and no row points at a missing one.
    /// PostgreSQL enforces foreign keys on every write and keeps its files sound itself, so on it there is nothing to check.
    /// </summary>
    public static void AssertStoreIntact(ServerProcess server)
    {
        if (server.Database is not null)
            return;
        using var c = StoreSql.Open(server);
        using var integrity = c.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", integrity.ExecuteScalar() as string);
        using var foreignKeys = c.CreateCommand();
        foreignKeys.CommandText = "PRAGMA foreign_key_check";
        using var reader = foreignKeys.ExecuteReader();
        Assert.False(reader.Read(), "a row points at a row that does not exist");
    }

    /// <summary>The seed of a generative test: CLOUDSFOR_TEST_SEED replays a run that failed (every test prints its seed).</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("CLOUDSFOR_TEST_SEED"), out var seed) ? seed : Environment.TickCount;

    /// <summary>Fails with the first line that differs, so a changed state explains itself.</summary>
    public static void AssertSameState(string before, string after)
    {
        var (a, b) = (before.Split('\n'), after.Split('\n'));
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
                Assert.Fail($"the state changed:\nbefore: {(i < a.Length ? a[i] : "")}\nafter:  {(i < b.Length ? b[i] : "")}");
    }

    /// <summary>Everything an account can see, as the API shows it; equal before and after means nothing changed.</summary>
    public static async Task<string> StateOf(ApiClient api, params string[] morePaths)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { "/account", "/vms?per_page=200", "/tokens?per_page=200", "/actions?per_page=200", "/images?private=true&per_page=200",
                     "/domains?per_page=200", "/account/keys?per_page=200", "/tags?per_page=200", "/volumes?per_page=200",
                     "/snapshots?per_page=200" }.Concat(morePaths))
            text.Append(path).Append(' ').AppendLine((await api.Get(path)).Expect(200).Text);
        return text.ToString();
    }

    /// <summary>Every item of a collection, 200 a page.</summary>
    public static async Task<List<System.Text.Json.JsonElement>> All(ApiClient api, string path, string root)
    {
        var items = new List<System.Text.Json.JsonElement>();
        for (var page = 1; ; page++)
        {
            var batch = (await api.Get($"{path}{(path.Contains('?') ? '&' : '?')}per_page=200&page={page}")).Expect(200)[root].EnumerateArray().ToList();
            items.AddRange(batch);
            if (batch.Count < 200)
                return items;
        }
    }
}
