namespace CloudsFor.Client.Models;

/// <summary>
/// An action: one change of a resource, carried out in the background (named so it does not clash with <see cref="System.Action"/>).
/// <c>Status</c> is in-progress, completed or errored; <c>Error</c> says why when it errored.
/// </summary>
public sealed record CloudAction(string Id, string Status, string Type, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    string ResourceId, string ResourceType, string Region, string? Error = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDone => Status is ActionStatus.Completed or ActionStatus.Errored;
}

/// <summary>The values of <see cref="CloudAction.Status"/>.</summary>
public static class ActionStatus
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Errored = "errored";
}

/// <summary>The values of a VM action's <c>type</c>.</summary>
public static class VmActionType
{
    public const string PowerOn = "power_on";
    public const string PowerOff = "power_off";
    public const string Shutdown = "shutdown";
    public const string Reboot = "reboot";
    public const string PowerCycle = "power_cycle";
    public const string Rename = "rename";
    public const string Resize = "resize";
    public const string Rebuild = "rebuild";
    public const string Snapshot = "snapshot";
}
