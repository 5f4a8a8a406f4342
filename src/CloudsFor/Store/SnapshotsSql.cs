using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>The filters of GET /snapshots and /volumes/{id}/snapshots; every one is scoped to the caller's account.</summary>
public sealed record SnapshotFilter(string AccountId, string? ResourceType = null, string? TagName = null, string? VolumeId = null, string? Id = null);

/// <summary>
/// Snapshots of both kinds as one collection: VM snapshots are the account's images of type snapshot, volume snapshots the
/// rows of volume_snapshots. Every query reads them as <see cref="SnapshotRow"/> through one UNION, so order and paging are one.
/// </summary>
public static class SnapshotsSql
{
    const string OfVms = """
        SELECT id, account_id, name, COALESCE(vm_id, '') AS resource_id, 'vm' AS resource_type, COALESCE(region_slug, '') AS region_slug,
            min_disk_size, size_gigabytes, status, created_at, 'none' AS filesystem_type, '' AS filesystem_label,
            (SELECT json_group_array(tag ORDER BY tag) FROM resource_tags r
                WHERE r.account_id = images.account_id AND r.resource_type = 'image' AND r.resource_id = images.id) AS tags_json
        FROM images WHERE type = 'snapshot' AND account_id = @AccountId
        """;

    // size_gigabytes as Snapshots.Gigabytes computes it, in integers (SQLite's ceil() is not in every build).
    const string OfVolumes = """
        SELECT id, account_id, name, volume_id AS resource_id, 'volume' AS resource_type, region_slug, min_disk_size,
            ((size_bytes * 100 + 1073741823) / 1073741824) / 100.0 AS size_gigabytes, status, created_at, filesystem_type, filesystem_label,
            (SELECT json_group_array(tag ORDER BY tag) FROM volume_snapshot_tags WHERE snapshot_id = volume_snapshots.id) AS tags_json
        FROM volume_snapshots WHERE account_id = @AccountId
        """;

    static string Union(SnapshotFilter f)
    {
        var parts = new List<string>();
        if (f.ResourceType is null or "vm" && f.VolumeId is null)
            parts.Add(OfVms + (f.Id is null ? "" : " AND id = @Id")
                + (f.TagName is null ? "" : " AND id IN (SELECT resource_id FROM resource_tags WHERE account_id = @AccountId AND resource_type = 'image' AND tag = @TagName)"));
        if (f.ResourceType is null or "volume")
            parts.Add(OfVolumes + (f.Id is null ? "" : " AND id = @Id") + (f.VolumeId is null ? "" : " AND volume_id = @VolumeId")
                + (f.TagName is null ? "" : " AND id IN (SELECT snapshot_id FROM volume_snapshot_tags WHERE tag = @TagName)"));
        return string.Join(" UNION ALL ", parts);
    }

    public static Task<long> Count(DbConnection c, SnapshotFilter filter) =>
        c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM ({Union(filter)}) AS snapshots", Args(filter));

    public static async Task<IReadOnlyList<SnapshotRow>> Page(DbConnection c, SnapshotFilter filter, int offset, int limit)
    {
        var args = Args(filter);
        args.Add("offset", offset);
        args.Add("limit", limit);
        return (await c.QueryAsync<SnapshotRow>($"SELECT * FROM ({Union(filter)}) AS snapshots ORDER BY created_at, id LIMIT @limit OFFSET @offset", args)).AsList();
    }

    /// <summary>One of the account's snapshots, of either kind.</summary>
    public static Task<SnapshotRow?> Find(DbConnection c, string accountId, string id, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<SnapshotRow>(Union(new SnapshotFilter(accountId, Id: id)), new { AccountId = accountId, Id = id }, t);

    static DynamicParameters Args(SnapshotFilter f)
    {
        var args = new DynamicParameters();
        args.Add("AccountId", f.AccountId);
        args.Add("TagName", f.TagName);
        args.Add("VolumeId", f.VolumeId);
        args.Add("Id", f.Id);
        return args;
    }

    /// <summary>How many volume snapshots the account holds (what its cap counts).</summary>
    public static Task<long> CountOfVolumes(DbConnection c, DbTransaction t, string accountId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM volume_snapshots WHERE account_id = @accountId", new { accountId }, t);

    public static async Task InsertVolumeSnapshot(DbConnection c, DbTransaction t, SnapshotRow s, IEnumerable<string> tags)
    {
        await c.ExecuteAsync("""
            INSERT INTO volume_snapshots (id, account_id, name, volume_id, region_slug, min_disk_size, size_bytes, filesystem_type, filesystem_label, status, created_at)
            VALUES (@Id, @AccountId, @Name, @ResourceId, @RegionSlug, @MinDiskSize, 0, @FilesystemType, @FilesystemLabel, @Status, @CreatedAt)
            """, s, t);
        foreach (var tag in tags.Distinct())
            await c.ExecuteAsync("INSERT INTO volume_snapshot_tags (snapshot_id, tag) VALUES (@id, @tag)", new { id = s.Id, tag }, t);
    }

    /// <summary>The end of a volume snapshot's action: made (with its file's bytes) or errored. A deleted one stays deleted.</summary>
    public static Task<int> FinishVolumeSnapshot(DbConnection c, DbTransaction t, string id, string status, long sizeBytes) =>
        c.ExecuteAsync("UPDATE volume_snapshots SET status = @status, size_bytes = @sizeBytes WHERE id = @id", new { id, status, sizeBytes }, t);

    public static Task<int> DeleteVolumeSnapshot(DbConnection c, DbTransaction t, string accountId, string id) =>
        c.ExecuteAsync("DELETE FROM volume_snapshots WHERE id = @id AND account_id = @accountId", new { id, accountId }, t);

    /// <summary>Volumes still being made from the snapshot: their create copies its file, so it must wait for them.</summary>
    public static Task<long> VolumesBeingMadeFrom(DbConnection c, DbTransaction t, string snapshotId) =>
        c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM actions WHERE resource_type = 'volume' AND type = 'create' AND status = 'in-progress'
                AND json_extract(params, '$.snapshot_id') = @snapshotId
            """, new { snapshotId }, t);
}
