using System.Data.Common;
using CloudsFor.Api;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>
/// Writes the event of a change, inside the change's own transaction (so one is never stored without the other), with the
/// resource as the API shows it after the change. Types are RESOURCE.VERB: see docs/api.md, "Events", for the list.
/// </summary>
public static class Events
{
    public static Task Record(DbConnection c, DbTransaction t, string accountId, string type, string resourceType, string resourceId, object? view, string now) =>
        EventsSql.Insert(c, t, accountId, type, resourceType, resourceId,
            view is null ? null : new Utf8Text(ApiJson.Bytes(view)), now);

    /// <summary>action.started, action.completed or action.errored, by the action's status.</summary>
    public static Task Action(DbConnection c, DbTransaction t, ActionRow action, string now, bool started = false) =>
        Record(c, t, action.AccountId, started ? "action.started" : action.Status == ActionStatus.Errored ? "action.errored" : "action.completed",
            "action", action.Id, ActionView.Of(action), now);

    /// <summary>A VM known with its relations and image (a new one); <paramref name="type"/> is vm.created or such.</summary>
    public static Task Vm(DbConnection c, DbTransaction t, string type, VmRow vm, ImageRow? image, Catalog catalog, string now) =>
        Record(c, t, vm.AccountId, type, "vm", vm.Id, VmView.Of(vm, image, catalog), now);

    /// <summary>
    /// A VM changed by the statements before, read back as it is shown: vm.status_changed when its status is not
    /// <paramref name="statusBefore"/>, else vm.updated.
    /// </summary>
    public static async Task VmChanged(DbConnection c, DbTransaction t, string vmId, string statusBefore, Catalog catalog, string now)
    {
        // Gone for its owner (being deleted): its vm.deleted was its last event.
        if (await VmsSql.FindShown(c, t, vmId) is not { DeletedAt: null } vm)
            return;
        await VmChanged(c, t, vm, statusBefore, catalog, now);
    }

    /// <summary>
    /// Like the above, for a VM read with its relations before the change (VmsSql.FindShownToChange) and changed since only in
    /// the columns VmsSql.Update wrote from it: shown as it is now without reading it again.
    /// </summary>
    public static Task VmChanged(DbConnection c, DbTransaction t, VmRow shown, string statusBefore, Catalog catalog, string now) =>
        Vm(c, t, shown.Status == statusBefore ? "vm.updated" : "vm.status_changed", shown, ImagesSql.FromJson(shown.ImageJson), catalog, now);

    public static Task VmDeleted(DbConnection c, DbTransaction t, VmRow vm, string now) =>
        Record(c, t, vm.AccountId, "vm.deleted", "vm", vm.Id, null, now);

    /// <summary>A volume as the API shows it after the change; <paramref name="type"/> is volume.created or such.</summary>
    public static Task Volume(DbConnection c, DbTransaction t, string type, VolumeRow volume, Catalog catalog, string now) =>
        Record(c, t, volume.AccountId, type, "volume", volume.Id, type == "volume.deleted" ? null : VolumeView.Of(volume, catalog), now);

    /// <summary>A snapshot of either kind as /snapshots shows it; snapshot.deleted carries none.</summary>
    public static Task Snapshot(DbConnection c, DbTransaction t, string type, SnapshotRow snapshot, string now) =>
        Record(c, t, snapshot.AccountId, type, "snapshot", snapshot.Id, type == "snapshot.deleted" ? null : SnapshotView.Of(snapshot), now);
}
