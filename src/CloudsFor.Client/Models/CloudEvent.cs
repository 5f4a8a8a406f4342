using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudsFor.Client.Models;

/// <summary>
/// One change from the event stream (<see cref="EventsClient"/>). <c>Type</c> is RESOURCE.VERB (vm.created, vm.status_changed,
/// action.completed, …), or <see cref="Resync"/> when the stream could not resume where it was asked to: events were missed,
/// so read the resources again. <c>Resource</c> is the resource as the API showed it right after the change; null once deleted.
/// </summary>
public sealed record CloudEvent
{
    public const string Resync = "resync";

    public long Id { get; init; }
    public string Type { get; init; } = "";
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public JsonElement? Resource { get; init; }

    /// <summary>For a resync: the id the stream was asked to resume after, and what to do.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastEventId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    // Views of the event, not part of it: written back out, the event is as the server sent it.
    [JsonIgnore]
    public bool IsResync => Type == Resync;

    /// <summary>The resource as a VM, when it is one and still exists.</summary>
    [JsonIgnore]
    public Vm? Vm => ResourceType == "vm" ? As(ClientJson.Default.Vm) : null;

    /// <summary>The resource as an action, when it is one.</summary>
    [JsonIgnore]
    public CloudAction? Action => ResourceType == "action" ? As(ClientJson.Default.CloudAction) : null;

    T? As<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        Resource is { ValueKind: JsonValueKind.Object } r ? r.Deserialize(type) : null;
}

/// <summary>The resource types of the event stream, for <see cref="EventFilter"/>.</summary>
public static class EventResourceType
{
    public const string Vm = "vm";
    public const string Action = "action";
    public const string Image = "image";
    public const string Domain = "domain";
    public const string DomainRecord = "domain_record";
    public const string Token = "token";
    public const string SshKey = "ssh_key";
}
