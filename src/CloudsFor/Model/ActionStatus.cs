namespace CloudsFor.Model;

public static class ActionStatus
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Errored = "errored";
}

/// <summary>An action as stored: one state change of one resource, written with the request that asked for it.</summary>
public sealed class ActionRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string ResourceId { get; init; } = "";
    public string ResourceType { get; init; } = "vm";
    public string Type { get; init; } = "";
    public string Status { get; set; } = ActionStatus.InProgress;
    public string Params { get; init; } = "{}";
    public string RegionSlug { get; init; } = "";
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public string StartedAt { get; init; } = "";
    public string? CompletedAt { get; set; }
}
