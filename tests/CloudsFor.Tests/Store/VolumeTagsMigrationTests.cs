using CloudsFor.Store;
using Dapper;

namespace CloudsFor.Tests.Store;

/// <summary>A store written before volumes kept their tags in resource_tags keeps every tag of every volume.</summary>
[Trait("Store", "sqlite")]
public sealed class VolumeTagsMigrationTests
{
    [Fact]
    public void Volume_tags_move_to_the_shared_tables_and_become_the_accounts_tags()
    {
        using var store = new StoreFile(upToStepBefore: "DROP TABLE volume_tags");
        using (var c = store.Db.Open())
        {
            c.Execute("""
                INSERT INTO users (id, username, email, password_hash, is_admin, vm_limit, created_at) VALUES ('u1', 'alice', 'a@x', '', 0, 10, '2026-01-01');
                INSERT INTO volumes (id, account_id, name, description, size_gigabytes, region_slug, filesystem_type, filesystem_label, status, locked, created_at)
                    VALUES ('v1', 'u1', 'data', '', 10, 'fra1', 'none', '', 'available', 0, '2026-01-02');
                INSERT INTO volume_tags (volume_id, tag) VALUES ('v1', 'backup'), ('v1', 'disk');
                INSERT INTO tags (account_id, name, created_at) VALUES ('u1', 'disk', '2025-12-31');
                """);
        }

        Migrations.Apply(store.Db);

        using var after = store.Db.Open();
        Assert.Equal(["backup", "disk"], after.Query<string>(
            "SELECT tag FROM resource_tags WHERE account_id = 'u1' AND resource_type = 'volume' AND resource_id = 'v1' ORDER BY tag"));
        Assert.Equal(["backup 2026-01-02", "disk 2025-12-31"], after.Query<string>("SELECT name || ' ' || created_at FROM tags WHERE account_id = 'u1' ORDER BY name"));
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'volume_tags'"));

        // Tags go with their volume.
        after.Execute("DELETE FROM volumes WHERE id = 'v1'");
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT COUNT(*) FROM resource_tags"));
    }
}
