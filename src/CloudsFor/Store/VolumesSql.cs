using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>The filters of GET /volumes; every one is scoped to the caller's account.</summary>
public sealed record VolumeFilter(string AccountId, string? Name = null, string? Region = null, string? TagName = null);

public static class VolumesSql
{
    const string Columns = "id, account_id, name, description, size_gigabytes, region_slug, filesystem_type, filesystem_label, status, locked, " +
                           "vm_id, target_vm_id, created_at, deleted_at";
    static readonly string Shown = Columns + ", " + TagsSql.TagsOf("volume", "volumes.id", "volumes.account_id") + " AS tags_json";

    static string Where(VolumeFilter filter) =>
        "account_id = @AccountId AND deleted_at IS NULL" + (filter.Name is null ? "" : " AND name = @Name") + (filter.Region is null ? "" : " AND region_slug = @Region")
        + (filter.TagName is null ? "" : " AND " + TagsSql.Carrying("volume", "id", "@AccountId", "@TagName"));

    public static Task<long> Count(DbConnection c, VolumeFilter filter) =>
        c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM volumes WHERE {Where(filter)}", filter);

    public static async Task<IReadOnlyList<VolumeRow>> Page(DbConnection c, VolumeFilter filter, int offset, int limit) =>
        (await c.QueryAsync<VolumeRow>($"SELECT {Shown} FROM volumes WHERE {Where(filter)} ORDER BY created_at, id LIMIT @limit OFFSET @offset",
            new { filter.AccountId, filter.Name, filter.Region, filter.TagName, offset, limit })).AsList();

    /// <summary>One of the account's volumes; a deleted one is gone for its owner at once.</summary>
    public static Task<VolumeRow?> Find(DbConnection c, string accountId, string id, DbTransaction? t = null) =>
        Prepared.One<VolumeRow>(c, $"SELECT {Shown} FROM volumes WHERE id = @id AND account_id = @accountId AND deleted_at IS NULL", new { id, accountId }, t);

    public static Task<VolumeRow?> FindByName(DbConnection c, string accountId, string name, string region, DbTransaction? t = null) =>
        Prepared.One<VolumeRow>(c, $"SELECT {Shown} FROM volumes WHERE account_id = @accountId AND name = @name AND region_slug = @region AND deleted_at IS NULL",
            new { accountId, name, region }, t);

    /// <summary>For the worker and events: the volume even while it is being deleted.</summary>
    public static Task<VolumeRow?> FindAny(DbConnection c, string id, DbTransaction? t = null) =>
        Prepared.One<VolumeRow>(c, $"SELECT {Shown} FROM volumes WHERE id = @id", new { id }, t);

    /// <summary>What the account's volumes take: how many, and their gigabytes (deleted ones are gone for the owner, so not counted).</summary>
    public static Task<VolumeUsage> UsageOfAccount(DbConnection c, string accountId, DbTransaction? t = null) =>
        Prepared.One<VolumeUsage>(c, "SELECT COUNT(*) AS count, COALESCE(SUM(size_gigabytes), 0) AS gigabytes FROM volumes WHERE account_id = @accountId AND deleted_at IS NULL",
            new { accountId }, t)!;

    /// <summary>The volumes attached or being attached to a VM.</summary>
    public static Task<long> CountTargeting(DbConnection c, DbTransaction t, string vmId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM volumes WHERE target_vm_id = @vmId AND deleted_at IS NULL", new { vmId }, t);

    /// <summary>The volumes the driver has attached to a VM, by id: what the VM's start includes.</summary>
    public static async Task<IReadOnlyList<string>> AttachedTo(DbConnection c, string vmId) =>
        (await c.QueryAsync<string>("SELECT id FROM volumes WHERE vm_id = @vmId ORDER BY id", new { vmId })).AsList();

    public static Task Insert(DbConnection c, DbTransaction t, VolumeRow v) =>
        Prepared.Execute(c, t, $"""
            INSERT INTO volumes ({Columns}) VALUES (@Id, @AccountId, @Name, @Description, @SizeGigabytes, @RegionSlug, @FilesystemType,
                @FilesystemLabel, @Status, @Locked, @VmId, @TargetVmId, @CreatedAt, @DeletedAt)
            """, v);

    public static Task Update(DbConnection c, DbTransaction t, VolumeRow v) =>
        Prepared.Execute(c, t, """
            UPDATE volumes SET size_gigabytes = @SizeGigabytes, status = @Status, locked = @Locked, vm_id = @VmId, target_vm_id = @TargetVmId
            WHERE id = @Id
            """, v);

    public static Task MarkDeleted(DbConnection c, DbTransaction t, string id, string at) =>
        Prepared.Execute(c, t, "UPDATE volumes SET deleted_at = @at, locked = 1 WHERE id = @id", new { id, at });

    public static Task Restore(DbConnection c, DbTransaction t, string id) =>
        Prepared.Execute(c, t, "UPDATE volumes SET deleted_at = NULL WHERE id = @id", new { id });

    public static Task Remove(DbConnection c, DbTransaction t, string id) =>
        Prepared.Execute(c, t, "DELETE FROM volumes WHERE id = @id", new { id });

    /// <summary>A destroyed VM takes its attachments with it (the volumes stay, detached).</summary>
    public static Task DetachAllFrom(DbConnection c, DbTransaction t, string vmId) =>
        Prepared.Execute(c, t, "UPDATE volumes SET vm_id = NULL, target_vm_id = NULL WHERE vm_id = @vmId OR target_vm_id = @vmId", new { vmId });
}

public sealed record VolumeUsage(long Count, long Gigabytes);
