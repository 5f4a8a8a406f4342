using Dapper;

namespace CloudsFor.Store;

/// <summary>
/// The schema, as numbered steps applied in order at start. A released step is never edited:
/// a change is a new step. PRAGMA user_version records how far a store has come.
/// SQL stays portable where it costs nothing (TEXT ids and times, INTEGER flags) so the PostgreSQL
/// store can share it.
/// </summary>
public static class Migrations
{
    static readonly string[] Steps =
    [
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            is_admin INTEGER NOT NULL,
            vm_limit INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            scopes TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT
        );
        CREATE INDEX tokens_by_user ON tokens(user_id, created_at, id);
        CREATE TABLE images (
            id TEXT PRIMARY KEY,
            account_id TEXT,
            slug TEXT UNIQUE,
            name TEXT NOT NULL,
            distribution TEXT NOT NULL,
            type TEXT NOT NULL,
            description TEXT NOT NULL,
            min_disk_size INTEGER NOT NULL,
            size_gigabytes REAL NOT NULL,
            region_slug TEXT,
            vm_id TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX images_by_account ON images(account_id, created_at, id);
        CREATE TABLE vms (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            locked INTEGER NOT NULL,
            size_slug TEXT NOT NULL,
            memory INTEGER NOT NULL,
            vcpus INTEGER NOT NULL,
            disk INTEGER NOT NULL,
            region_slug TEXT NOT NULL,
            image_id TEXT NOT NULL,
            ip_host INTEGER NOT NULL,
            user_data TEXT NOT NULL,
            ssh_keys TEXT NOT NULL,
            created_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX vms_by_account ON vms(account_id, created_at, id);
        CREATE UNIQUE INDEX vms_ip ON vms(region_slug, ip_host);
        CREATE TABLE vm_tags (
            vm_id TEXT NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (vm_id, tag)
        );
        CREATE INDEX vm_tags_by_tag ON vm_tags(tag, vm_id);
        CREATE TABLE actions (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            type TEXT NOT NULL,
            status TEXT NOT NULL,
            params TEXT NOT NULL,
            region_slug TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            completed_at TEXT
        );
        CREATE INDEX actions_by_account ON actions(account_id, started_at, id);
        CREATE INDEX actions_by_resource ON actions(resource_id, started_at, id);
        CREATE INDEX actions_in_progress ON actions(status) WHERE status = 'in-progress';
        CREATE TABLE idempotency_keys (
            account_id TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            location TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (account_id, key)
        );
        """,
        """
        ALTER TABLE vms ADD COLUMN port_forwards TEXT NOT NULL DEFAULT '[]';
        """,
    ];

    public static int Latest => Steps.Length;

    public static void Apply(Db db)
    {
        using var connection = db.Open();
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        for (var step = (int)version; step < Steps.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(Steps[step], transaction: transaction);
            connection.Execute($"PRAGMA user_version = {step + 1}", transaction: transaction);
            transaction.Commit();
        }
    }
}
