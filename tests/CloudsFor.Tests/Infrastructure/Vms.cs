using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>A VM just accepted by POST /vms: its id, the id of its create action, and the whole answer.</summary>
public sealed record CreatedVm(string Id, string CreateActionId, ApiResponse Response);

/// <summary>VM and action helpers that do what a client script does: create, then poll the action to its end.</summary>
public static class Vms
{
    public const string SmallSize = "s-1vcpu-512mb";
    public const string TinyImage = "tiny";

    public static string UniqueName(string prefix = "vm") => TestAccounts.UniqueName(prefix + "-");

    public static async Task<CreatedVm> Create(ApiClient api, string? name = null, string size = SmallSize, string image = TinyImage,
        string? region = null, string[]? tags = null)
    {
        var body = new Dictionary<string, object> { ["name"] = name ?? UniqueName(), ["size"] = size, ["image"] = image };
        if (region is not null)
            body["region"] = region;
        if (tags is not null)
            body["tags"] = tags;
        var response = (await api.Post("/vms", body)).Expect(202);
        var actionId = response["links"].GetProperty("actions")[0].GetProperty("id").GetString()!;
        return new CreatedVm(response["vm"].GetProperty("id").GetString()!, actionId, response);
    }

    /// <summary>Creates a VM and waits until its create action completed; returns the VM as GET shows it then.</summary>
    public static async Task<JsonElement> CreateActive(ApiClient api, string? name = null, string size = SmallSize, string image = TinyImage,
        string? region = null, string[]? tags = null)
    {
        var created = await Create(api, name, size, image, region, tags);
        var action = await WaitForAction(api, created.CreateActionId);
        Assert.True(action.GetProperty("status").GetString() == "completed", $"create did not complete: {action}");
        return await Get(api, created.Id);
    }

    public static async Task<JsonElement> Get(ApiClient api, string vmId) => (await api.Get($"/vms/{vmId}")).Expect(200)["vm"];

    /// <summary>Polls GET /actions/{id} until the action is no longer in progress; returns it.</summary>
    public static async Task<JsonElement> WaitForAction(ApiClient api, string actionId, TimeSpan? deadline = null)
    {
        var last = await Poll.Until(
            () => api.Get($"/actions/{actionId}"),
            r => r.Status != 200 || r["action"].GetProperty("status").GetString() != "in-progress",
            $"action {actionId} finishing",
            deadline);
        return last.Expect(200)["action"];
    }

    /// <summary>POSTs a VM action (201), waits for it, and returns the finished action.</summary>
    public static async Task<JsonElement> RunAction(ApiClient api, string vmId, object body)
    {
        var started = (await api.Post($"/vms/{vmId}/actions", body)).Expect(201);
        return await WaitForAction(api, started["action"].GetProperty("id").GetString()!);
    }

    /// <summary>Like <see cref="RunAction"/> but requires the action to complete, and returns the VM after it.</summary>
    public static async Task<JsonElement> RunCompleted(ApiClient api, string vmId, object body)
    {
        var action = await RunAction(api, vmId, body);
        Assert.True(action.GetProperty("status").GetString() == "completed", $"action did not complete: {action}");
        return await Get(api, vmId);
    }

    public static string Status(this JsonElement vmOrAction) => vmOrAction.GetProperty("status").GetString()!;

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static IReadOnlyList<string> Ids(this JsonElement array) => array.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
}
