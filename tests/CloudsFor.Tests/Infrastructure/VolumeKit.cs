using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>Volume helpers that do what a client script does: create, then poll the action to its end.</summary>
public static class VolumeKit
{
    public static string UniqueName(string prefix = "vol") => TestAccounts.UniqueName(prefix + "-");

    /// <summary>POST /volumes (201); returns the volume as created and the id of its create action.</summary>
    public static async Task<(JsonElement Volume, string ActionId)> Create(ApiClient api, string? name = null, int size = 10, string region = "fra1",
        string[]? tags = null)
    {
        var body = new Dictionary<string, object> { ["name"] = name ?? UniqueName(), ["size_gigabytes"] = size, ["region"] = region };
        if (tags is not null)
            body["tags"] = tags;
        var created = (await api.Post("/volumes", body)).Expect(201);
        return (created["volume"], created["links"].GetProperty("actions")[0].Str("id"));
    }

    /// <summary>Creates a volume and waits until it is available; returns it as GET shows it then.</summary>
    public static async Task<JsonElement> CreateAvailable(ApiClient api, string? name = null, int size = 10, string region = "fra1")
    {
        var (volume, actionId) = await Create(api, name, size, region);
        Assert.Equal("completed", (await Vms.WaitForAction(api, actionId)).Status());
        return await Get(api, volume.Str("id"));
    }

    public static async Task<JsonElement> Get(ApiClient api, string id) => (await api.Get($"/volumes/{id}")).Expect(200)["volume"];

    /// <summary>POSTs a volume action (201) and waits for it; returns the finished action.</summary>
    public static async Task<JsonElement> Run(ApiClient api, string volumeId, object body)
    {
        var started = (await api.Post($"/volumes/{volumeId}/actions", body)).Expect(201);
        return await Vms.WaitForAction(api, started["action"].Str("id"));
    }

    /// <summary>Like <see cref="Run"/> but requires the action to complete.</summary>
    public static async Task<JsonElement> RunCompleted(ApiClient api, string volumeId, object body)
    {
        var action = await Run(api, volumeId, body);
        Assert.True(action.Status() == "completed", $"volume action did not complete: {action}");
        return action;
    }

    public static IReadOnlyList<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
