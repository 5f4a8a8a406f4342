using System.Data.Common;
using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>The filters of GET /vms; every one is scoped to the caller's account.</summary>
public sealed record VmFilter(string AccountId, string? TagName = null, string? Name = null, string? Status = null, string? Region = null);

public sealed record VmVersion(string Id, long Version, string CreatedAt);

public static class VmsSql
{
    const string Columns = "id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, port_forwards, created_at, deleted_at";

    // A VM is read with its tags, snapshot ids and image (JSON), so showing a page of VMs is one query, not three,
    // and the row alone says whether a VM's rendered JSON is still current (Api.VmDocuments).
    const string Relations = $"""
        , (SELECT json_group_array(tag ORDER BY tag) FROM vm_tags WHERE vm_id = vms.id) AS tags_json
        , (SELECT json_group_array(id ORDER BY created_at, id) FROM images WHERE vm_id = vms.id AND type = 'snapshot') AS snapshot_ids_json
        , (SELECT {ImagesSql.AsJson} FROM images WHERE id = vms.image_id) AS image_json
        , (SELECT json_group_array(id ORDER BY id) FROM volumes WHERE vm_id = vms.id) AS volume_ids_json
        """;

    // What the API changes: without user data and SSH keys (up to 64 KiB and 320 KiB), which only the worker reads,
    // and without the relations, which a change inside the one writer has no use for.
    const string Row = "id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, port_forwards, created_at, deleted_at, version";
    const string Shown = Row + Relations;

    /// <summary>
    /// A VM as its owner sees it, with its relations. A VM being deleted is gone for its owner at once, though its
    /// row lives until the driver destroyed it.
    /// </summary>
    public static Task<VmRow?> Find(DbConnection c, string accountId, string id) =>
        Prepared.One<VmRow>(c, $"SELECT {Shown} FROM vms WHERE id = @id AND account_id = @accountId AND deleted_at IS NULL", new { id, accountId });

    /// <summary>Like <see cref="Find"/>, the row alone: for a change inside a write, which <see cref="Update"/> writes back.</summary>
    public static Task<VmRow?> FindToChange(DbConnection c, DbTransaction t, string accountId, string id) =>
        Prepared.One<VmRow>(c, $"SELECT {Row} FROM vms WHERE id = @id AND account_id = @accountId AND deleted_at IS NULL", new { id, accountId }, t);

    /// <summary>Like <see cref="FindToChange"/>, with the relations: a change that only sets columns <see cref="Update"/> writes can show the VM after it without reading it again.</summary>
    public static Task<VmRow?> FindShownToChange(DbConnection c, DbTransaction t, string accountId, string id) =>
        Prepared.One<VmRow>(c, $"SELECT {Shown} FROM vms WHERE id = @id AND account_id = @accountId AND deleted_at IS NULL", new { id, accountId }, t);

    /// <summary>A VM as shown, with its relations, read inside a write: what an event about its change carries (deleted ones too).</summary>
    public static Task<VmRow?> FindShown(DbConnection c, DbTransaction t, string id) =>
        Prepared.One<VmRow>(c, $"SELECT {Shown} FROM vms WHERE id = @id", new { id }, t);

    /// <summary>For the worker: the whole row (user data and keys too), even while it is being deleted.</summary>
    public static Task<VmRow?> FindAny(DbConnection c, string id, DbTransaction? t = null) =>
        Prepared.One<VmRow>(c, $"SELECT {Columns}, version FROM vms WHERE id = @id", new { id }, t);

    /// <summary>The version of one of the account's VMs (see Migrations), or null when it has none by that id.</summary>
    public static Task<long?> VersionOf(DbConnection c, string accountId, string id) =>
        Prepared.One<long?>(c, "SELECT version FROM vms WHERE id = @id AND account_id = @accountId AND deleted_at IS NULL", new { id, accountId });

    /// <summary>A page as ids and versions: what tells whether the renderings kept of its VMs are current.</summary>
    public static async Task<IReadOnlyList<VmVersion>> Versions(DbConnection c, VmFilter filter, int offset, int limit)
    {
        var args = new { filter.AccountId, filter.TagName, filter.Name, filter.Status, filter.Region, offset, limit };
        return await Prepared.Query<VmVersion>(c, $"SELECT id, version, created_at FROM vms WHERE {Where(filter)} ORDER BY created_at, id LIMIT @limit OFFSET @offset", args);
    }

    /// <summary>Like <see cref="Versions"/> for an account's whole list, from a known VM on (or from just after it) instead of an offset: one step down the index.</summary>
    public static async Task<IReadOnlyList<VmVersion>> VersionsFrom(DbConnection c, string accountId, VmVersion from, bool including, int limit) =>
        await Prepared.Query<VmVersion>(c, $"""
            SELECT id, version, created_at FROM vms WHERE account_id = @accountId AND deleted_at IS NULL
                AND (created_at, id) {(including ? ">=" : ">")} (@createdAt, @id) ORDER BY created_at, id LIMIT @limit
            """, new { accountId, createdAt = from.CreatedAt, id = from.Id, limit });

    /// <summary>Counts the changes to which VMs the account lists (see Migrations): 0 before the first.</summary>
    public static Task<long> PagesGeneration(DbConnection c, string accountId) =>
        Prepared.Scalar<long>(c, "SELECT COALESCE(MAX(generation), 0) FROM vm_pages WHERE account_id = @accountId", new { accountId });

    static string Where(VmFilter filter)
    {
        var where = "account_id = @AccountId AND deleted_at IS NULL";
        if (filter.TagName is not null) where += " AND id IN (SELECT vm_id FROM vm_tags WHERE tag = @TagName)";
        if (filter.Name is not null) where += " AND name = @Name";
        if (filter.Status is not null) where += " AND status = @Status";
        if (filter.Region is not null) where += " AND region_slug = @Region";
        return where;
    }

    /// <summary>Without filters the kept count of the account (<see cref="CountOfAccount"/>), so a page does not cost more as VMs grow.</summary>
    public static Task<long> Count(DbConnection c, VmFilter filter)
    {
        if (filter == new VmFilter(filter.AccountId))
            return CountOfAccount(c, filter.AccountId);
        return Prepared.Scalar<long>(c, $"SELECT COUNT(*) FROM vms WHERE {Where(filter)}", filter);
    }

    public static async Task<IReadOnlyList<VmRow>> Page(DbConnection c, VmFilter filter, int offset, int limit, DbTransaction? t = null)
    {
        var args = new { filter.AccountId, filter.TagName, filter.Name, filter.Status, filter.Region, offset, limit };
        return await Prepared.Query<VmRow>(c, $"SELECT {Row} FROM vms WHERE {Where(filter)} ORDER BY created_at, id LIMIT @limit OFFSET @offset", args, t);
    }

    /// <summary>Every VM the filter takes, with its relations (as <see cref="FindShownToChange"/>), read inside a write.</summary>
    public static async Task<IReadOnlyList<VmRow>> All(DbConnection c, VmFilter filter, DbTransaction t) =>
        await Prepared.Query<VmRow>(c, $"SELECT {Shown} FROM vms WHERE {Where(filter)} ORDER BY created_at, id", filter, t);

    // vm_usage holds running sums kept by triggers on vms (see Migrations): per region every VM row, deleted
    // ones too until destroyed (they still hold their resources); per account the VMs not deleted. Reading
    // one row instead of summing every VM keeps a create and a page from costing more as VMs grow.

    /// <summary>What VMs take of a region: the scheduler's input. Null region: the whole host.</summary>
    public static Task<Capacity> RegionUsage(DbConnection c, DbTransaction t, string? region) =>
        Prepared.One<Capacity>(c,
            "SELECT COALESCE(SUM(vcpus), 0) AS vcpus, COALESCE(SUM(memory), 0) AS memory, COALESCE(SUM(disk), 0) AS disk FROM vm_usage " +
            (region is null ? "WHERE scope LIKE 'region:%'" : "WHERE scope = @scope"), new { scope = "region:" + region }, t)!;

    public static Task<long> CountOfAccount(DbConnection c, string accountId, DbTransaction? t = null) =>
        Prepared.Scalar<long>(c, "SELECT COALESCE(SUM(vms), 0) FROM vm_usage WHERE scope = @scope", new { scope = "account:" + accountId }, t);

    public static Task<Capacity> UsageOfAccount(DbConnection c, string accountId) =>
        Prepared.One<Capacity>(c,
            "SELECT COALESCE(SUM(vcpus), 0) AS vcpus, COALESCE(SUM(memory), 0) AS memory, COALESCE(SUM(disk), 0) AS disk FROM vm_usage WHERE scope = @scope",
            new { scope = "account:" + accountId })!;

    /// <summary>
    /// The host number after the region's highest (2 is the first; 1 is the gateway): one step down an index. Asked as the
    /// first row in descending order, not as MAX(ip_host): PostgreSQL keeps the plan of a prepared statement, and the plan
    /// it made for MAX while the store was new (no statistics yet) was an aggregate over every VM of the region, which
    /// the writer then ran for every create as the store grew (2.8 ms a create at 4,000 VMs, its costliest statement).
    /// </summary>
    internal const string NextIpHostQuery =
        "SELECT COALESCE((SELECT ip_host FROM vms WHERE region_slug = @region ORDER BY ip_host DESC LIMIT 1), 1) + 1";

    public static Task<long> NextIpHost(DbConnection c, DbTransaction t, string region) =>
        Prepared.Scalar<long>(c, NextIpHostQuery, new { region }, t);

    /// <summary>The lowest free host number of the region's range: a scan, for when the range's end is reached.</summary>
    public static Task<long> LowestFreeIpHost(DbConnection c, DbTransaction t, string region) =>
        c.ExecuteScalarAsync<long>("""
            SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM vms WHERE region_slug = @region AND ip_host = 2) THEN 2
                   ELSE (SELECT MIN(a.ip_host) + 1 FROM vms a WHERE a.region_slug = @region
                         AND NOT EXISTS (SELECT 1 FROM vms b WHERE b.region_slug = @region AND b.ip_host = a.ip_host + 1)) END
            """, new { region }, t);

    public static Task Insert(DbConnection c, DbTransaction t, VmRow vm) =>
        Prepared.Execute(c, t, $"""
            INSERT INTO vms ({Columns}) VALUES (@Id, @AccountId, @Name, @Status, @Locked, @SizeSlug, @Memory, @Vcpus, @Disk, @RegionSlug,
                @ImageId, @IpHost, @UserData, @SshKeys, @PortForwards, @CreatedAt, @DeletedAt)
            """, vm);

    // The statements that change a VM move its version themselves (see Migrations): the trigger that would
    // otherwise do it costs a second UPDATE.

    /// <summary>Writes the mutable attributes back; the worker and PUT both end here.</summary>
    public static Task Update(DbConnection c, DbTransaction t, VmRow vm) =>
        Prepared.Execute(c, t, """
            UPDATE vms SET name = @Name, status = @Status, locked = @Locked, size_slug = @SizeSlug, memory = @Memory, vcpus = @Vcpus,
                disk = @Disk, image_id = @ImageId, port_forwards = @PortForwards, version = version + 1 WHERE id = @Id
            """, vm);

    /// <summary>The public keys a rebuilt VM was given (the row <see cref="Update"/> writes leaves them out).</summary>
    public static Task SetSshKeys(DbConnection c, DbTransaction t, string id, string sshKeysJson) =>
        c.ExecuteAsync("UPDATE vms SET ssh_keys = @sshKeysJson WHERE id = @id", new { id, sshKeysJson }, t);

    /// <summary>Sets the VM's tags to <paramref name="tags"/>; a tag it keeps keeps its tagged_at (what last_tagged_uri orders by).</summary>
    public static async Task SetTags(DbConnection c, DbTransaction t, string vmId, IReadOnlyCollection<string> tags, string now)
    {
        await c.ExecuteAsync(Dialect.For(c, "DELETE FROM vm_tags WHERE vm_id = @vmId AND tag NOT IN @tags"), new { vmId, tags = tags.ToArray() }, t);
        await AddTags(c, t, vmId, tags, now);
    }

    /// <summary>Tags a VM (a new one has none to remove: the list statement SetTags starts with is parsed on every call).</summary>
    public static async Task AddTags(DbConnection c, DbTransaction t, string vmId, IReadOnlyCollection<string> tags, string now)
    {
        foreach (var tag in tags.Distinct())
            await Prepared.Execute(c, t, "INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES (@vmId, @tag, @now) ON CONFLICT DO NOTHING", new { vmId, tag, now });
    }

    public static Task MarkDeleted(DbConnection c, DbTransaction t, string id, string at) =>
        Prepared.Execute(c, t, "UPDATE vms SET deleted_at = @at, locked = 1, version = version + 1 WHERE id = @id", new { id, at });

    public static Task Restore(DbConnection c, DbTransaction t, string id) =>
        Prepared.Execute(c, t, "UPDATE vms SET deleted_at = NULL, version = version + 1 WHERE id = @id", new { id });

    public static Task Remove(DbConnection c, DbTransaction t, string id) =>
        Prepared.Execute(c, t, "DELETE FROM vms WHERE id = @id", new { id });
}
