using System.Data.Common;
using System.Text.Json;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>An image as stored: distribution images are public (no account); snapshots belong to one account.</summary>
public sealed class ImageRow
{
    public string Id { get; init; } = "";
    public string? AccountId { get; init; }
    public string? Slug { get; init; }
    public string Name { get; set; } = "";
    public string Distribution { get; set; } = "";
    public string Type { get; init; } = "";
    public string Description { get; set; } = "";
    public int MinDiskSize { get; set; }
    public double SizeGigabytes { get; set; }
    public string? RegionSlug { get; init; }
    public string? VmId { get; init; }
    public string Status { get; set; } = "available";
    public string CreatedAt { get; init; } = "";
    /// <summary>Where a custom image is downloaded from; null for an upload and every other image.</summary>
    public string? SourceUrl { get; init; }
    public string? ErrorMessage { get; set; }
    /// <summary>JSON list of the image's tags, read with the row (public images carry none).</summary>
    public string TagsJson { get; init; } = "[]";
}

public static class ImagesSql
{
    const string Columns = "id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message";
    const string Visible = "(account_id IS NULL OR account_id = @accountId)";

    // Constant, unlike TagsSql.TagsOf, because a VM's query embeds AsJson in its own constant.
    const string TagsJson = "('' || (SELECT json_group_array(tag ORDER BY tag) FROM resource_tags " +
                            "WHERE account_id = images.account_id AND resource_type = 'image' AND resource_id = images.id))";
    const string Shown = Columns + ", " + TagsJson + " AS tags_json";

    /// <summary>By id or slug, among the images this account may see.</summary>
    public static Task<ImageRow?> Find(DbConnection c, string accountId, string idOrSlug, DbTransaction? t = null) =>
        Prepared.One<ImageRow>(c, $"SELECT {Shown} FROM images WHERE (id = @idOrSlug OR slug = @idOrSlug) AND {Visible}", new { accountId, idOrSlug }, t);

    public static string Filter(string? type, bool privateOnly, string? tagName = null) =>
        Visible + (type is null ? "" : " AND type = @type") + (privateOnly ? " AND account_id IS NOT NULL" : "")
        + (tagName is null ? "" : " AND " + TagsSql.Carrying("image", "id"));

    public static Task<long> Count(DbConnection c, string where, object args) =>
        c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM images WHERE {where}", args);

    public static async Task<IReadOnlyList<ImageRow>> Page(DbConnection c, string where, object args) =>
        (await c.QueryAsync<ImageRow>($"SELECT {Shown} FROM images WHERE {where} ORDER BY created_at, id LIMIT @limit OFFSET @offset", args)).AsList();

    public static Task<ImageRow?> ById(DbConnection c, string id) =>
        Prepared.One<ImageRow>(c, $"SELECT {Shown} FROM images WHERE id = @id", new { id });

    /// <summary>An image row as one JSON object, for queries that read an image with the rows that use it (<see cref="FromJson"/> reads it back).</summary>
    public const string AsJson =
        "json_object('id', id, 'account_id', account_id, 'slug', slug, 'name', name, 'distribution', distribution, 'type', type, " +
        "'description', description, 'min_disk_size', min_disk_size, 'size_gigabytes', size_gigabytes, 'region_slug', region_slug, " +
        "'vm_id', vm_id, 'status', status, 'created_at', created_at, 'source_url', source_url, 'error_message', error_message, " +
        "'tags_json', " + TagsJson + ")";

    static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ImageRow? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<ImageRow>(json, SnakeCase);

    public static async Task<IReadOnlyList<string>> SnapshotIdsOf(DbConnection c, string vmId) =>
        (await c.QueryAsync<string>("SELECT id FROM images WHERE vm_id = @vmId AND type = 'snapshot' ORDER BY created_at, id", new { vmId })).AsList();

    public static Task Upsert(DbConnection c, DbTransaction t, ImageRow image) =>
        c.ExecuteAsync($"""
            INSERT INTO images ({Columns}) VALUES (@Id, @AccountId, @Slug, @Name, @Distribution, @Type, @Description, @MinDiskSize,
                @SizeGigabytes, @RegionSlug, @VmId, @Status, @CreatedAt, @SourceUrl, @ErrorMessage)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, distribution = excluded.distribution, description = excluded.description,
                min_disk_size = excluded.min_disk_size, size_gigabytes = excluded.size_gigabytes, status = excluded.status
            """, image, t);

    public static Task Update(DbConnection c, DbTransaction t, ImageRow image) =>
        c.ExecuteAsync("UPDATE images SET name = @Name, description = @Description, distribution = @Distribution WHERE id = @Id AND account_id = @AccountId", image, t);

    /// <summary>The end of an import or upload: only an image still new changes, so a deleted or finished one stays as it is.</summary>
    public static Task<int> Finish(DbConnection c, DbTransaction t, ImageRow image) =>
        c.ExecuteAsync("""
            UPDATE images SET status = @Status, error_message = @ErrorMessage, min_disk_size = @MinDiskSize, size_gigabytes = @SizeGigabytes
            WHERE id = @Id AND status = 'new'
            """, image, t);

    /// <summary>Custom images accepted but not yet checked, to take up again after a restart.</summary>
    public static async Task<IReadOnlyList<ImageRow>> Pending(DbConnection c) =>
        (await c.QueryAsync<ImageRow>($"SELECT {Columns} FROM images WHERE status = 'new' AND type = 'custom' ORDER BY created_at, id")).AsList();

    public static Task Insert(DbConnection c, DbTransaction t, ImageRow image) =>
        c.ExecuteAsync($"""
            INSERT INTO images ({Columns}) VALUES (@Id, @AccountId, @Slug, @Name, @Distribution, @Type, @Description, @MinDiskSize,
                @SizeGigabytes, @RegionSlug, @VmId, @Status, @CreatedAt, @SourceUrl, @ErrorMessage)
            """, image, t);

    /// <summary>Ids of every custom image, so files of deleted ones can go.</summary>
    public static async Task<IReadOnlySet<string>> CustomIds(DbConnection c) =>
        (await c.QueryAsync<string>("SELECT id FROM images WHERE type = 'custom'")).ToHashSet();

    public static Task<long> VmsUsing(DbConnection c, DbTransaction t, string imageId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM vms WHERE image_id = @imageId AND deleted_at IS NULL", new { imageId }, t);

    public static Task<int> Delete(DbConnection c, DbTransaction t, string accountId, string id) =>
        c.ExecuteAsync("DELETE FROM images WHERE id = @id AND account_id = @accountId", new { id, accountId }, t);

    /// <summary>Distribution images no longer in the catalog stay for the VMs that use them, marked retired.</summary>
    public static Task RetireMissing(DbConnection c, DbTransaction t, IEnumerable<string> keptIds) =>
        c.ExecuteAsync(Dialect.For(c, "UPDATE images SET status = 'retired' WHERE account_id IS NULL AND id NOT IN @keptIds"), new { keptIds = keptIds.ToArray() }, t);
}
