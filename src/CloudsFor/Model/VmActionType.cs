namespace CloudsFor.Model;

/// <summary>
/// Every action a VM knows, and the VM statuses each may start from. One table instead of
/// scattered checks, so the API's 422 messages and the worker agree.
/// </summary>
public sealed record VmActionType(string Name, string[] AllowedFrom, string EndsIn, bool UserRequestable = true, bool ByTag = false)
{
    public const string Create = "create";
    public const string Destroy = "destroy";

    static readonly string[] AnyStable = [VmStatus.Active, VmStatus.Off, VmStatus.Errored];

    /// <summary>Null EndsIn keeps the VM's status as it was.</summary>
    public static readonly IReadOnlyDictionary<string, VmActionType> All = new[]
    {
        new VmActionType(Create, [VmStatus.New], VmStatus.Active, UserRequestable: false),
        new VmActionType(Destroy, [VmStatus.New, .. AnyStable], VmStatus.Off, UserRequestable: false),
        new VmActionType("power_on", [VmStatus.Off], VmStatus.Active, ByTag: true),
        new VmActionType("power_off", [VmStatus.Active], VmStatus.Off, ByTag: true),
        new VmActionType("shutdown", [VmStatus.Active], VmStatus.Off, ByTag: true),
        new VmActionType("reboot", [VmStatus.Active], VmStatus.Active, ByTag: true),
        new VmActionType("power_cycle", [VmStatus.Active, VmStatus.Off], VmStatus.Active, ByTag: true),
        new VmActionType("rename", AnyStable, null!),
        new VmActionType("resize", [VmStatus.Active, VmStatus.Off], null!),
        new VmActionType("rebuild", AnyStable, VmStatus.Active),
        new VmActionType("snapshot", [VmStatus.Active, VmStatus.Off], null!, ByTag: true),
    }.ToDictionary(t => t.Name);

    public static IEnumerable<string> Requestable => All.Values.Where(t => t.UserRequestable).Select(t => t.Name);

    /// <summary>Why this action cannot start from <paramref name="status"/>, or null when it can.</summary>
    public string? RefusalFor(string status) => AllowedFrom.Contains(status)
        ? null
        : status switch
        {
            VmStatus.Active when Name == "power_on" => "The VM is already powered on.",
            VmStatus.Off when Name is "power_off" or "shutdown" => "The VM is already powered off.",
            _ => $"A {Name} cannot start while the VM is {status}; it needs to be {string.Join(" or ", AllowedFrom)}.",
        };
}
