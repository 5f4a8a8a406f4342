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
    internal static readonly string[] Steps =
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
        """
        CREATE TABLE domains (
            name TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            ttl INTEGER NOT NULL,
            serial INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX domains_by_account ON domains(account_id, created_at, name);
        CREATE TABLE domain_records (
            id TEXT PRIMARY KEY,
            domain_name TEXT NOT NULL REFERENCES domains(name) ON DELETE CASCADE,
            account_id TEXT NOT NULL,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            data TEXT NOT NULL,
            priority INTEGER,
            port INTEGER,
            ttl INTEGER NOT NULL,
            weight INTEGER,
            flags INTEGER,
            tag TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX domain_records_by_domain ON domain_records(domain_name, created_at, id);
        """,
        """
        -- Running sums of what VMs take, kept by the triggers below, so a create, a page of VMs and GET /account
        -- read one row instead of counting every VM: per region every VM row (deleted ones too, until destroyed,
        -- since they still hold their resources), per account the VMs not deleted.
        CREATE TABLE vm_usage (
            scope TEXT PRIMARY KEY,
            vms INTEGER NOT NULL,
            vcpus INTEGER NOT NULL,
            memory INTEGER NOT NULL,
            disk INTEGER NOT NULL
        );
        INSERT INTO vm_usage SELECT 'region:' || region_slug, COUNT(*), SUM(vcpus), SUM(memory), SUM(disk) FROM vms GROUP BY region_slug;
        INSERT INTO vm_usage SELECT 'account:' || account_id, COUNT(*), SUM(vcpus), SUM(memory), SUM(disk) FROM vms
            WHERE deleted_at IS NULL GROUP BY account_id;
        CREATE TRIGGER vm_usage_on_insert AFTER INSERT ON vms BEGIN
            INSERT INTO vm_usage VALUES ('region:' || NEW.region_slug, 1, NEW.vcpus, NEW.memory, NEW.disk)
                ON CONFLICT(scope) DO UPDATE SET vms = vms + 1, vcpus = vcpus + NEW.vcpus, memory = memory + NEW.memory, disk = disk + NEW.disk;
            INSERT INTO vm_usage SELECT 'account:' || NEW.account_id, 1, NEW.vcpus, NEW.memory, NEW.disk WHERE NEW.deleted_at IS NULL
                ON CONFLICT(scope) DO UPDATE SET vms = vms + 1, vcpus = vcpus + NEW.vcpus, memory = memory + NEW.memory, disk = disk + NEW.disk;
        END;
        CREATE TRIGGER vm_usage_on_delete AFTER DELETE ON vms BEGIN
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'region:' || OLD.region_slug;
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'account:' || OLD.account_id AND OLD.deleted_at IS NULL;
        END;
        CREATE TRIGGER vm_usage_on_update AFTER UPDATE OF vcpus, memory, disk, deleted_at ON vms
            WHEN OLD.vcpus IS NOT NEW.vcpus OR OLD.memory IS NOT NEW.memory OR OLD.disk IS NOT NEW.disk OR OLD.deleted_at IS NOT NEW.deleted_at
        BEGIN
            UPDATE vm_usage SET vcpus = vcpus - OLD.vcpus + NEW.vcpus, memory = memory - OLD.memory + NEW.memory, disk = disk - OLD.disk + NEW.disk
                WHERE scope = 'region:' || NEW.region_slug;
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'account:' || OLD.account_id AND OLD.deleted_at IS NULL;
            INSERT INTO vm_usage SELECT 'account:' || NEW.account_id, 1, NEW.vcpus, NEW.memory, NEW.disk WHERE NEW.deleted_at IS NULL
                ON CONFLICT(scope) DO UPDATE SET vms = vms + 1, vcpus = vcpus + NEW.vcpus, memory = memory + NEW.memory, disk = disk + NEW.disk;
        END;
        -- Pages of an account's VMs skip the rows before them inside this index alone; deleted VMs are not in it.
        DROP INDEX vms_by_account;
        CREATE INDEX vms_live_by_account ON vms(account_id, created_at, id) WHERE deleted_at IS NULL;
        -- A VM's snapshots, and the daily clean-up of idempotency keys, without reading every row.
        CREATE INDEX images_by_vm ON images(vm_id);
        CREATE INDEX idempotency_keys_by_time ON idempotency_keys(created_at);
        """,
        """
        -- A VM's version changes with everything its representation shows: its row, its tags, its snapshots and its
        -- image. A rendering of the VM made at one version is reused while the version stays (Api.VmDocuments), so a
        -- request reads two columns instead of the whole VM. Catalog images are written again at every start: only a
        -- real change to an image counts.
        ALTER TABLE vms ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX vms_by_image ON vms(image_id);
        CREATE TRIGGER vm_version_on_update AFTER UPDATE ON vms WHEN NEW.version = OLD.version BEGIN
            UPDATE vms SET version = OLD.version + 1 WHERE id = NEW.id;
        END;
        CREATE TRIGGER vm_version_on_tag AFTER INSERT ON vm_tags BEGIN
            UPDATE vms SET version = version + 1 WHERE id = NEW.vm_id;
        END;
        CREATE TRIGGER vm_version_on_untag AFTER DELETE ON vm_tags BEGIN
            UPDATE vms SET version = version + 1 WHERE id = OLD.vm_id;
        END;
        CREATE TRIGGER vm_version_on_image_insert AFTER INSERT ON images WHEN NEW.vm_id IS NOT NULL BEGIN
            UPDATE vms SET version = version + 1 WHERE id = NEW.vm_id;
        END;
        CREATE TRIGGER vm_version_on_image_update AFTER UPDATE ON images
            WHEN (OLD.id, OLD.account_id, OLD.slug, OLD.name, OLD.distribution, OLD.type, OLD.description, OLD.min_disk_size,
                  OLD.size_gigabytes, OLD.region_slug, OLD.vm_id, OLD.status, OLD.created_at)
              IS NOT (NEW.id, NEW.account_id, NEW.slug, NEW.name, NEW.distribution, NEW.type, NEW.description, NEW.min_disk_size,
                  NEW.size_gigabytes, NEW.region_slug, NEW.vm_id, NEW.status, NEW.created_at)
        BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id IN (OLD.id, NEW.id) OR id IN (OLD.vm_id, NEW.vm_id);
        END;
        CREATE TRIGGER vm_version_on_image_delete AFTER DELETE ON images BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = OLD.id OR id = OLD.vm_id;
        END;
        """,
        """
        -- Which VMs an account lists, in which order, changes only when one is created, deleted or restored. The
        -- account's generation counts those changes, so where a deep page starts can be remembered for as long as
        -- it stays the same (Store.VmPageStarts). A table of its own: vm_usage's triggers write it by position.
        CREATE TABLE vm_pages (account_id TEXT PRIMARY KEY, generation INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TRIGGER vm_pages_on_insert AFTER INSERT ON vms BEGIN
            INSERT INTO vm_pages VALUES (NEW.account_id, 1) ON CONFLICT(account_id) DO UPDATE SET generation = generation + 1;
        END;
        CREATE TRIGGER vm_pages_on_delete AFTER DELETE ON vms WHEN OLD.deleted_at IS NULL BEGIN
            INSERT INTO vm_pages VALUES (OLD.account_id, 1) ON CONFLICT(account_id) DO UPDATE SET generation = generation + 1;
        END;
        CREATE TRIGGER vm_pages_on_update AFTER UPDATE OF deleted_at, account_id, created_at ON vms
            WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL) OR OLD.account_id IS NOT NEW.account_id OR OLD.created_at IS NOT NEW.created_at
        BEGIN
            INSERT INTO vm_pages VALUES (OLD.account_id, 1) ON CONFLICT(account_id) DO UPDATE SET generation = generation + 1;
            INSERT INTO vm_pages VALUES (NEW.account_id, 1) ON CONFLICT(account_id) DO UPDATE SET generation = generation + 1;
        END;
        """,
        """
        -- The worker runs a VM's unfinished actions oldest first; rowid is the order the store accepted them in.
        CREATE INDEX actions_in_progress_by_resource ON actions(resource_id) WHERE status = 'in-progress';
        """,
        """
        -- Answers kept for Idempotency-Keys used to hold token secrets and plain SHA-256 fingerprints of bodies that may
        -- hold passwords; they are dropped (their pages zeroed), and new ones hold neither.
        PRAGMA secure_delete = ON;
        DELETE FROM idempotency_keys;
        """,
        """
        -- The event stream (GET /events): one row per change, written in the change's own transaction, so an accepted
        -- change and its event are stored together or not at all. The id is the stream's position: the single writer
        -- commits in id order. Old rows are pruned (Work.EventHub), never the newest, so ids never go back.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL,
            type TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            resource TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_by_account ON events(account_id, id);
        """,
        """
        -- Browser sessions of the control panel. The cookie's secret is kept only as a keyed hash (Model.ServerKey); the
        -- anti-forgery token is derived from the secret, so it is not kept at all.
        CREATE TABLE sessions (
            secret_hash TEXT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            idle_expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions(user_id);
        CREATE INDEX sessions_by_expiry ON sessions(idle_expires_at);
        """,
        """
        -- SSH keys of an account, for VMs to be created with. The blob's fingerprints are kept to find a key by either
        -- form; one key at most once per account (by its SHA-256 fingerprint: MD5 may collide, on purpose).
        CREATE TABLE ssh_keys (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            fingerprint_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX ssh_keys_by_account ON ssh_keys(account_id, created_at, id);
        CREATE UNIQUE INDEX ssh_keys_by_sha256 ON ssh_keys(account_id, fingerprint_sha256);
        CREATE INDEX ssh_keys_by_md5 ON ssh_keys(account_id, fingerprint);
        """,
        """
        -- Custom images a user brings: from a URL the server downloads (source_url, kept so an accepted import that a
        -- restart interrupted starts again), or from an upload; status new until checked, then available or errored.
        ALTER TABLE images ADD COLUMN source_url TEXT;
        ALTER TABLE images ADD COLUMN error_message TEXT;
        CREATE INDEX images_by_status ON images(status) WHERE status = 'new';
        """,
        """
        -- Tags of an account (GET /tags): a tag lives from POST /tags, or from the first thing tagged with a new name, until
        -- DELETE /tags/{name}. VMs keep their tags in vm_tags (their version triggers follow it); images, domains and volumes
        -- in resource_tags, which the triggers below empty when the resource goes. tagged_at orders both for last_tagged_uri.
        CREATE TABLE tags (
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (account_id, name)
        );
        CREATE INDEX tags_by_account ON tags(account_id, created_at, name);
        INSERT INTO tags SELECT vms.account_id, vm_tags.tag, MIN(vms.created_at) FROM vm_tags JOIN vms ON vms.id = vm_tags.vm_id
            GROUP BY vms.account_id, vm_tags.tag;
        ALTER TABLE vm_tags ADD COLUMN tagged_at TEXT NOT NULL DEFAULT '';
        UPDATE vm_tags SET tagged_at = (SELECT created_at FROM vms WHERE vms.id = vm_tags.vm_id);
        CREATE TABLE resource_tags (
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            tagged_at TEXT NOT NULL,
            PRIMARY KEY (account_id, resource_type, resource_id, tag)
        );
        CREATE INDEX resource_tags_by_tag ON resource_tags(account_id, tag, resource_type, resource_id);
        CREATE TRIGGER resource_tags_on_image_delete AFTER DELETE ON images BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'image' AND resource_id = OLD.id;
        END;
        CREATE TRIGGER resource_tags_on_domain_delete AFTER DELETE ON domains BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'domain' AND resource_id = OLD.name;
        END;
        """,
        """
        -- Block storage volumes. vm_id is the VM a volume is attached to (as the driver has done it); target_vm_id the
        -- one it is attached or being attached to, set when an attach or detach is accepted, so the per-VM limit counts
        -- attaches still in flight. A deleted volume keeps its row (deleted_at) until the driver removed its file.
        CREATE TABLE volumes (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            size_gigabytes INTEGER NOT NULL,
            region_slug TEXT NOT NULL,
            filesystem_type TEXT NOT NULL,
            filesystem_label TEXT NOT NULL,
            status TEXT NOT NULL,
            locked INTEGER NOT NULL,
            vm_id TEXT,
            target_vm_id TEXT,
            created_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX volumes_by_account ON volumes(account_id, created_at, id);
        CREATE UNIQUE INDEX volumes_by_name ON volumes(account_id, region_slug, name) WHERE deleted_at IS NULL;
        CREATE INDEX volumes_by_vm ON volumes(vm_id);
        CREATE INDEX volumes_by_target_vm ON volumes(target_vm_id);
        CREATE TABLE volume_tags (
            volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (volume_id, tag)
        );
        CREATE INDEX volume_tags_by_tag ON volume_tags(tag, volume_id);
        -- The VM shows volume_ids: its version moves when a volume comes or goes.
        CREATE TRIGGER vm_version_on_volume_attach AFTER UPDATE OF vm_id ON volumes WHEN NEW.vm_id IS NOT OLD.vm_id BEGIN
            UPDATE vms SET version = version + 1 WHERE id IN (OLD.vm_id, NEW.vm_id);
        END;
        CREATE TRIGGER vm_version_on_volume_delete AFTER DELETE ON volumes WHEN OLD.vm_id IS NOT NULL BEGIN
            UPDATE vms SET version = version + 1 WHERE id = OLD.vm_id;
        END;
        ALTER TABLE users ADD COLUMN volume_limit INTEGER NOT NULL DEFAULT 100;
        ALTER TABLE users ADD COLUMN volume_gigabytes_limit INTEGER NOT NULL DEFAULT 16384;
        """,
        """
        -- Volumes keep their tags where images and domains do (resource_tags), so GET /tags counts them, tags and
        -- untags them, and one tag_name filter serves every list. A tag a volume carried becomes one of its account's tags.
        INSERT OR IGNORE INTO tags (account_id, name, created_at)
            SELECT volumes.account_id, volume_tags.tag, MIN(volumes.created_at) FROM volume_tags JOIN volumes ON volumes.id = volume_tags.volume_id
            GROUP BY volumes.account_id, volume_tags.tag;
        INSERT OR IGNORE INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at)
            SELECT volumes.account_id, volume_tags.tag, 'volume', volumes.id, volumes.created_at FROM volume_tags JOIN volumes ON volumes.id = volume_tags.volume_id;
        DROP TABLE volume_tags;
        CREATE TRIGGER resource_tags_on_volume_delete AFTER DELETE ON volumes BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'volume' AND resource_id = OLD.id;
        END;
        -- An image shows its tags, and so does the image inside a VM made from it: that VM's version moves with them.
        CREATE TRIGGER vm_version_on_image_tag AFTER INSERT ON resource_tags WHEN NEW.resource_type = 'image' BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = NEW.resource_id;
        END;
        CREATE TRIGGER vm_version_on_image_untag AFTER DELETE ON resource_tags WHEN OLD.resource_type = 'image' BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = OLD.resource_id;
        END;
        """,
        """
        -- Volume snapshots (VM snapshots are images of type snapshot). A snapshot keeps what a volume made from it needs
        -- (region, size, file system), so it outlives its volume; size_bytes is what the driver reported for its file.
        CREATE TABLE volume_snapshots (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            volume_id TEXT NOT NULL,
            region_slug TEXT NOT NULL,
            min_disk_size INTEGER NOT NULL,
            size_bytes INTEGER NOT NULL,
            filesystem_type TEXT NOT NULL,
            filesystem_label TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX volume_snapshots_by_account ON volume_snapshots(account_id, created_at, id);
        CREATE INDEX volume_snapshots_by_volume ON volume_snapshots(volume_id, created_at, id);
        CREATE TABLE volume_snapshot_tags (
            snapshot_id TEXT NOT NULL REFERENCES volume_snapshots(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, tag)
        );
        CREATE INDEX volume_snapshot_tags_by_tag ON volume_snapshot_tags(tag, snapshot_id);
        """,
        """
        -- Which server runs a resource's actions (several servers share a PostgreSQL store): a claim with a lease the
        -- holder renews; a claim whose lease ran out may be taken by another server.
        CREATE TABLE work_claims (
            resource_id TEXT PRIMARY KEY,
            server TEXT NOT NULL,
            lease_until TEXT NOT NULL
        );
        CREATE INDEX work_claims_by_server ON work_claims(server);
        -- What each server counted of each caller's rate-limit windows, when several share a PostgreSQL store.
        CREATE TABLE rate_usage (
            caller TEXT NOT NULL,
            kind TEXT NOT NULL,
            server TEXT NOT NULL,
            window_start INTEGER NOT NULL,
            used INTEGER NOT NULL,
            reported_at INTEGER NOT NULL,
            PRIMARY KEY (caller, kind, server)
        );
        -- The simulated driver's machines, volumes and snapshots (state: the JSON its files held), so every server sharing
        -- a store can act on any of them. The console keeps each VM's last lines (seq counts up per VM); executions record
        -- each operation's run, so a test can prove no resource had two at the same time. The same tables are in
        -- PostgresMigrations.cs step 1.
        -- Facts about the store itself: server_key_check names the server key its hashes were made with.
        CREATE TABLE store_settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE simulated_objects (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE simulated_console (
            vm_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            line TEXT NOT NULL,
            PRIMARY KEY (vm_id, seq)
        );
        CREATE TABLE simulated_executions (
            id INTEGER PRIMARY KEY,
            resource_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            server TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE INDEX simulated_executions_by_resource ON simulated_executions(resource_id, started_at);
        """,
    ];

    public static int Latest => Steps.Length;

    public static void Apply(Db db)
    {
        using var connection = db.Open();
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        if (version > Steps.Length)
            throw new NewerStoreException(version, Steps.Length);
        for (var step = (int)version; step < Steps.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(Steps[step], transaction: transaction);
            connection.Execute($"PRAGMA user_version = {step + 1}", transaction: transaction);
            transaction.Commit();
        }
    }
}

/// <summary>The store was moved on by a newer CloudsFor: this one must not serve, or migrate, a schema it does not know.</summary>
public sealed class NewerStoreException(long version, int latest)
    : Exception($"the store is at schema version {version}, written by a newer CloudsFor; this one knows up to version {latest}");
