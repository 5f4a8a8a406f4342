// A change to the schema is a new step in BOTH Migrations.cs and here.
using Dapper;
using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// The PostgreSQL schema (issue 14), as numbered steps like <see cref="Migrations"/>'s; schema_migrations records the
/// steps applied. Step 1 is what all of SQLite's steps make, table for table and column for column, so the statements of
/// Store/*Sql.cs run unchanged on both: INTEGER is BIGINT (flags too), REAL DOUBLE PRECISION, BLOB BYTEA. Every TEXT
/// column is COLLATE "C", SQLite's BINARY: ORDER BY, MAX and keyset pages then follow byte order on both, whatever
/// locale the database was made with. actions carries SQLite's hidden rowid as a column of that name, since the worker
/// orders by it. Triggers are functions of the same name; tools/pg-schema-check.sh runs the same writes on both engines
/// and compares the tables.
/// </summary>
public static class PostgresMigrations
{
    // Any fixed key will do, the same in every server: "CloudsFr" in ASCII.
    // One above PostgresEngine.WriteLock: starting servers wait for each other here, not for writes.
    const long LockKey = PostgresEngine.WriteLock + 1;

    internal static readonly string[] Steps =
    [
        """
        -- SQLite's json_group_array: a JSON array in the aggregate's ORDER BY order, [] over no rows, JSON values (of
        -- json_build_object) nested as JSON. Collected as an array and written once at the end: array_append grows the
        -- array in place, and json (not jsonb) keeps an object's keys in their order and writes ["a","b"] as SQLite does.
        CREATE FUNCTION json_group_array_final(anycompatiblearray) RETURNS json LANGUAGE sql IMMUTABLE AS 'SELECT to_json($1)';
        CREATE AGGREGATE json_group_array(anycompatible) (
            SFUNC = array_append, STYPE = anycompatiblearray, INITCOND = '{}', FINALFUNC = json_group_array_final
        );

        CREATE TABLE users (
            id TEXT COLLATE "C" PRIMARY KEY,
            username TEXT COLLATE "C" NOT NULL UNIQUE,
            email TEXT COLLATE "C" NOT NULL,
            password_hash TEXT COLLATE "C" NOT NULL,
            is_admin BIGINT NOT NULL,
            vm_limit BIGINT NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL,
            volume_limit BIGINT NOT NULL DEFAULT 100,
            volume_gigabytes_limit BIGINT NOT NULL DEFAULT 16384
        );
        CREATE TABLE tokens (
            id TEXT COLLATE "C" PRIMARY KEY,
            user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            scopes TEXT COLLATE "C" NOT NULL,
            secret_hash TEXT COLLATE "C" NOT NULL UNIQUE,
            created_at TEXT COLLATE "C" NOT NULL,
            expires_at TEXT COLLATE "C"
        );
        CREATE INDEX tokens_by_user ON tokens(user_id, created_at, id);

        CREATE TABLE images (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C",
            slug TEXT COLLATE "C" UNIQUE,
            name TEXT COLLATE "C" NOT NULL,
            distribution TEXT COLLATE "C" NOT NULL,
            type TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL,
            min_disk_size BIGINT NOT NULL,
            size_gigabytes DOUBLE PRECISION NOT NULL,
            region_slug TEXT COLLATE "C",
            vm_id TEXT COLLATE "C",
            status TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL,
            source_url TEXT COLLATE "C",
            error_message TEXT COLLATE "C"
        );
        CREATE INDEX images_by_account ON images(account_id, created_at, id);
        CREATE INDEX images_by_vm ON images(vm_id);
        CREATE INDEX images_by_status ON images(status) WHERE status = 'new';

        CREATE TABLE vms (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            status TEXT COLLATE "C" NOT NULL,
            locked BIGINT NOT NULL,
            size_slug TEXT COLLATE "C" NOT NULL,
            memory BIGINT NOT NULL,
            vcpus BIGINT NOT NULL,
            disk BIGINT NOT NULL,
            region_slug TEXT COLLATE "C" NOT NULL,
            image_id TEXT COLLATE "C" NOT NULL,
            ip_host BIGINT NOT NULL,
            user_data TEXT COLLATE "C" NOT NULL,
            ssh_keys TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL,
            deleted_at TEXT COLLATE "C",
            port_forwards TEXT COLLATE "C" NOT NULL DEFAULT '[]',
            version BIGINT NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX vms_ip ON vms(region_slug, ip_host);
        CREATE INDEX vms_live_by_account ON vms(account_id, created_at, id) WHERE deleted_at IS NULL;
        CREATE INDEX vms_by_image ON vms(image_id);
        CREATE TABLE vm_tags (
            vm_id TEXT COLLATE "C" NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
            tag TEXT COLLATE "C" NOT NULL,
            tagged_at TEXT COLLATE "C" NOT NULL DEFAULT '',
            PRIMARY KEY (vm_id, tag)
        );
        CREATE INDEX vm_tags_by_tag ON vm_tags(tag, vm_id);

        -- rowid is the order the store accepted actions in (SQLite's hidden rowid, which the worker orders by); last, so
        -- the twelve columns keep their places. The partial index ends in it, as SQLite's ends in its rowid.
        CREATE TABLE actions (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL,
            resource_id TEXT COLLATE "C" NOT NULL,
            resource_type TEXT COLLATE "C" NOT NULL,
            type TEXT COLLATE "C" NOT NULL,
            status TEXT COLLATE "C" NOT NULL,
            params TEXT COLLATE "C" NOT NULL,
            region_slug TEXT COLLATE "C" NOT NULL,
            error TEXT COLLATE "C",
            attempts BIGINT NOT NULL,
            started_at TEXT COLLATE "C" NOT NULL,
            completed_at TEXT COLLATE "C",
            rowid BIGINT GENERATED ALWAYS AS IDENTITY
        );
        CREATE INDEX actions_by_account ON actions(account_id, started_at, id);
        CREATE INDEX actions_by_resource ON actions(resource_id, started_at, id);
        CREATE INDEX actions_in_progress ON actions(status) WHERE status = 'in-progress';
        CREATE INDEX actions_in_progress_by_resource ON actions(resource_id, rowid) WHERE status = 'in-progress';

        CREATE TABLE idempotency_keys (
            account_id TEXT COLLATE "C" NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            request_hash TEXT COLLATE "C" NOT NULL,
            status BIGINT NOT NULL,
            body BYTEA NOT NULL,
            location TEXT COLLATE "C",
            created_at TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (account_id, key)
        );
        CREATE INDEX idempotency_keys_by_time ON idempotency_keys(created_at);

        CREATE TABLE domains (
            name TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            ttl BIGINT NOT NULL,
            serial BIGINT NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX domains_by_account ON domains(account_id, created_at, name);
        CREATE TABLE domain_records (
            id TEXT COLLATE "C" PRIMARY KEY,
            domain_name TEXT COLLATE "C" NOT NULL REFERENCES domains(name) ON DELETE CASCADE,
            account_id TEXT COLLATE "C" NOT NULL,
            type TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            data TEXT COLLATE "C" NOT NULL,
            priority BIGINT,
            port BIGINT,
            ttl BIGINT NOT NULL,
            weight BIGINT,
            flags BIGINT,
            tag TEXT COLLATE "C",
            created_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX domain_records_by_domain ON domain_records(domain_name, created_at, id);

        -- Running sums of what VMs take (see Migrations step 4): per region every VM row, per account the VMs not deleted.
        CREATE TABLE vm_usage (
            scope TEXT COLLATE "C" PRIMARY KEY,
            vms BIGINT NOT NULL,
            vcpus BIGINT NOT NULL,
            memory BIGINT NOT NULL,
            disk BIGINT NOT NULL
        );
        CREATE FUNCTION vm_usage_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO vm_usage VALUES ('region:' || NEW.region_slug, 1, NEW.vcpus, NEW.memory, NEW.disk)
                ON CONFLICT (scope) DO UPDATE SET vms = vm_usage.vms + 1, vcpus = vm_usage.vcpus + NEW.vcpus,
                    memory = vm_usage.memory + NEW.memory, disk = vm_usage.disk + NEW.disk;
            INSERT INTO vm_usage SELECT 'account:' || NEW.account_id, 1, NEW.vcpus, NEW.memory, NEW.disk WHERE NEW.deleted_at IS NULL
                ON CONFLICT (scope) DO UPDATE SET vms = vm_usage.vms + 1, vcpus = vm_usage.vcpus + NEW.vcpus,
                    memory = vm_usage.memory + NEW.memory, disk = vm_usage.disk + NEW.disk;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_usage_on_insert AFTER INSERT ON vms FOR EACH ROW EXECUTE FUNCTION vm_usage_on_insert();
        CREATE FUNCTION vm_usage_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'region:' || OLD.region_slug;
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'account:' || OLD.account_id AND OLD.deleted_at IS NULL;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_usage_on_delete AFTER DELETE ON vms FOR EACH ROW EXECUTE FUNCTION vm_usage_on_delete();
        CREATE FUNCTION vm_usage_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vm_usage SET vcpus = vcpus - OLD.vcpus + NEW.vcpus, memory = memory - OLD.memory + NEW.memory, disk = disk - OLD.disk + NEW.disk
                WHERE scope = 'region:' || NEW.region_slug;
            UPDATE vm_usage SET vms = vms - 1, vcpus = vcpus - OLD.vcpus, memory = memory - OLD.memory, disk = disk - OLD.disk
                WHERE scope = 'account:' || OLD.account_id AND OLD.deleted_at IS NULL;
            INSERT INTO vm_usage SELECT 'account:' || NEW.account_id, 1, NEW.vcpus, NEW.memory, NEW.disk WHERE NEW.deleted_at IS NULL
                ON CONFLICT (scope) DO UPDATE SET vms = vm_usage.vms + 1, vcpus = vm_usage.vcpus + NEW.vcpus,
                    memory = vm_usage.memory + NEW.memory, disk = vm_usage.disk + NEW.disk;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_usage_on_update AFTER UPDATE OF vcpus, memory, disk, deleted_at ON vms FOR EACH ROW
            WHEN (OLD.vcpus IS DISTINCT FROM NEW.vcpus OR OLD.memory IS DISTINCT FROM NEW.memory OR OLD.disk IS DISTINCT FROM NEW.disk
                  OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
            EXECUTE FUNCTION vm_usage_on_update();

        -- A VM's version changes with everything its representation shows (see Migrations step 5). SQLite's trigger
        -- updates the row again after the update; here the update itself carries the new version (BEFORE), which ends the
        -- same (no other trigger watches version) for one write instead of two.
        CREATE FUNCTION vm_version_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.version := OLD.version + 1;
            RETURN NEW;
        END $$;
        CREATE TRIGGER vm_version_on_update BEFORE UPDATE ON vms FOR EACH ROW WHEN (NEW.version = OLD.version)
            EXECUTE FUNCTION vm_version_on_update();
        CREATE FUNCTION vm_version_on_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE id = NEW.vm_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_tag AFTER INSERT ON vm_tags FOR EACH ROW EXECUTE FUNCTION vm_version_on_tag();
        CREATE FUNCTION vm_version_on_untag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE id = OLD.vm_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_untag AFTER DELETE ON vm_tags FOR EACH ROW EXECUTE FUNCTION vm_version_on_untag();
        CREATE FUNCTION vm_version_on_image_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE id = NEW.vm_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_image_insert AFTER INSERT ON images FOR EACH ROW WHEN (NEW.vm_id IS NOT NULL)
            EXECUTE FUNCTION vm_version_on_image_insert();
        -- The columns SQLite's trigger compares: source_url and error_message, added later, are not among them.
        CREATE FUNCTION vm_version_on_image_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id IN (OLD.id, NEW.id) OR id IN (OLD.vm_id, NEW.vm_id);
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_image_update AFTER UPDATE ON images FOR EACH ROW
            WHEN ((OLD.id, OLD.account_id, OLD.slug, OLD.name, OLD.distribution, OLD.type, OLD.description, OLD.min_disk_size,
                   OLD.size_gigabytes, OLD.region_slug, OLD.vm_id, OLD.status, OLD.created_at)
              IS DISTINCT FROM (NEW.id, NEW.account_id, NEW.slug, NEW.name, NEW.distribution, NEW.type, NEW.description, NEW.min_disk_size,
                   NEW.size_gigabytes, NEW.region_slug, NEW.vm_id, NEW.status, NEW.created_at))
            EXECUTE FUNCTION vm_version_on_image_update();
        CREATE FUNCTION vm_version_on_image_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = OLD.id OR id = OLD.vm_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_image_delete AFTER DELETE ON images FOR EACH ROW EXECUTE FUNCTION vm_version_on_image_delete();

        -- Which VMs an account lists changes only when one is created, deleted or restored (see Migrations step 6).
        -- Two upserts, not one of two rows: PostgreSQL refuses to update one row twice in a command, and the old and new
        -- account may be the same, which SQLite then counts twice.
        CREATE TABLE vm_pages (account_id TEXT COLLATE "C" PRIMARY KEY, generation BIGINT NOT NULL);
        CREATE FUNCTION vm_pages_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO vm_pages VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET generation = vm_pages.generation + 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_pages_on_insert AFTER INSERT ON vms FOR EACH ROW EXECUTE FUNCTION vm_pages_on_insert();
        CREATE FUNCTION vm_pages_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO vm_pages VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET generation = vm_pages.generation + 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_pages_on_delete AFTER DELETE ON vms FOR EACH ROW WHEN (OLD.deleted_at IS NULL)
            EXECUTE FUNCTION vm_pages_on_delete();
        CREATE FUNCTION vm_pages_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO vm_pages VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET generation = vm_pages.generation + 1;
            INSERT INTO vm_pages VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET generation = vm_pages.generation + 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_pages_on_update AFTER UPDATE OF deleted_at, account_id, created_at ON vms FOR EACH ROW
            WHEN ((OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL) OR OLD.account_id IS DISTINCT FROM NEW.account_id
                  OR OLD.created_at IS DISTINCT FROM NEW.created_at)
            EXECUTE FUNCTION vm_pages_on_update();

        -- The id is the stream's position (see Migrations step 9).
        CREATE TABLE events (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL,
            type TEXT COLLATE "C" NOT NULL,
            resource_type TEXT COLLATE "C" NOT NULL,
            resource_id TEXT COLLATE "C" NOT NULL,
            resource TEXT COLLATE "C",
            created_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX events_by_account ON events(account_id, id);

        CREATE TABLE sessions (
            secret_hash TEXT COLLATE "C" PRIMARY KEY,
            id TEXT COLLATE "C" NOT NULL UNIQUE,
            user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT COLLATE "C" NOT NULL,
            expires_at TEXT COLLATE "C" NOT NULL,
            idle_expires_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions(user_id);
        CREATE INDEX sessions_by_expiry ON sessions(idle_expires_at);

        CREATE TABLE ssh_keys (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            public_key TEXT COLLATE "C" NOT NULL,
            fingerprint TEXT COLLATE "C" NOT NULL,
            fingerprint_sha256 TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX ssh_keys_by_account ON ssh_keys(account_id, created_at, id);
        CREATE UNIQUE INDEX ssh_keys_by_sha256 ON ssh_keys(account_id, fingerprint_sha256);
        CREATE INDEX ssh_keys_by_md5 ON ssh_keys(account_id, fingerprint);

        -- Tags of an account, and the tags of images, domains and volumes (see Migrations steps 13 and 15).
        CREATE TABLE tags (
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (account_id, name)
        );
        CREATE INDEX tags_by_account ON tags(account_id, created_at, name);
        CREATE TABLE resource_tags (
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            tag TEXT COLLATE "C" NOT NULL,
            resource_type TEXT COLLATE "C" NOT NULL,
            resource_id TEXT COLLATE "C" NOT NULL,
            tagged_at TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (account_id, resource_type, resource_id, tag)
        );
        CREATE INDEX resource_tags_by_tag ON resource_tags(account_id, tag, resource_type, resource_id);
        CREATE FUNCTION resource_tags_on_image_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'image' AND resource_id = OLD.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER resource_tags_on_image_delete AFTER DELETE ON images FOR EACH ROW EXECUTE FUNCTION resource_tags_on_image_delete();
        CREATE FUNCTION resource_tags_on_domain_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'domain' AND resource_id = OLD.name;
            RETURN NULL;
        END $$;
        CREATE TRIGGER resource_tags_on_domain_delete AFTER DELETE ON domains FOR EACH ROW EXECUTE FUNCTION resource_tags_on_domain_delete();
        CREATE FUNCTION vm_version_on_image_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = NEW.resource_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_image_tag AFTER INSERT ON resource_tags FOR EACH ROW WHEN (NEW.resource_type = 'image')
            EXECUTE FUNCTION vm_version_on_image_tag();
        CREATE FUNCTION vm_version_on_image_untag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE image_id = OLD.resource_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_image_untag AFTER DELETE ON resource_tags FOR EACH ROW WHEN (OLD.resource_type = 'image')
            EXECUTE FUNCTION vm_version_on_image_untag();

        -- Block storage volumes and their snapshots (see Migrations steps 14 and 16).
        CREATE TABLE volumes (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL,
            size_gigabytes BIGINT NOT NULL,
            region_slug TEXT COLLATE "C" NOT NULL,
            filesystem_type TEXT COLLATE "C" NOT NULL,
            filesystem_label TEXT COLLATE "C" NOT NULL,
            status TEXT COLLATE "C" NOT NULL,
            locked BIGINT NOT NULL,
            vm_id TEXT COLLATE "C",
            target_vm_id TEXT COLLATE "C",
            created_at TEXT COLLATE "C" NOT NULL,
            deleted_at TEXT COLLATE "C"
        );
        CREATE INDEX volumes_by_account ON volumes(account_id, created_at, id);
        CREATE UNIQUE INDEX volumes_by_name ON volumes(account_id, region_slug, name) WHERE deleted_at IS NULL;
        CREATE INDEX volumes_by_vm ON volumes(vm_id);
        CREATE INDEX volumes_by_target_vm ON volumes(target_vm_id);
        CREATE FUNCTION vm_version_on_volume_attach() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE id IN (OLD.vm_id, NEW.vm_id);
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_volume_attach AFTER UPDATE OF vm_id ON volumes FOR EACH ROW WHEN (NEW.vm_id IS DISTINCT FROM OLD.vm_id)
            EXECUTE FUNCTION vm_version_on_volume_attach();
        CREATE FUNCTION vm_version_on_volume_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vms SET version = version + 1 WHERE id = OLD.vm_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER vm_version_on_volume_delete AFTER DELETE ON volumes FOR EACH ROW WHEN (OLD.vm_id IS NOT NULL)
            EXECUTE FUNCTION vm_version_on_volume_delete();
        CREATE FUNCTION resource_tags_on_volume_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM resource_tags WHERE resource_type = 'volume' AND resource_id = OLD.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER resource_tags_on_volume_delete AFTER DELETE ON volumes FOR EACH ROW EXECUTE FUNCTION resource_tags_on_volume_delete();
        CREATE TABLE volume_snapshots (
            id TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            volume_id TEXT COLLATE "C" NOT NULL,
            region_slug TEXT COLLATE "C" NOT NULL,
            min_disk_size BIGINT NOT NULL,
            size_bytes BIGINT NOT NULL,
            filesystem_type TEXT COLLATE "C" NOT NULL,
            filesystem_label TEXT COLLATE "C" NOT NULL,
            status TEXT COLLATE "C" NOT NULL,
            created_at TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX volume_snapshots_by_account ON volume_snapshots(account_id, created_at, id);
        CREATE INDEX volume_snapshots_by_volume ON volume_snapshots(volume_id, created_at, id);
        CREATE TABLE volume_snapshot_tags (
            snapshot_id TEXT COLLATE "C" NOT NULL REFERENCES volume_snapshots(id) ON DELETE CASCADE,
            tag TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (snapshot_id, tag)
        );
        CREATE INDEX volume_snapshot_tags_by_tag ON volume_snapshot_tags(tag, snapshot_id);
        -- SUM of whole numbers as a bigint (the built-in gives numeric), as SQLite's SUM of integers does; Dialect uses it.
        CREATE AGGREGATE int_sum(BIGINT) (SFUNC = int8pl, STYPE = BIGINT);
        -- SQLite's json_extract for the '$.a.b' paths the statements use: the value as text, NULL when absent.
        CREATE FUNCTION json_extract(document TEXT, path TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE
            AS 'SELECT document::jsonb #>> string_to_array(substr(path, 3), ''.'')';
        -- Migrations.cs step 17 (work_claims, rate_usage, the simulated driver's tables).
        CREATE TABLE work_claims (
            resource_id TEXT COLLATE "C" PRIMARY KEY,
            server TEXT COLLATE "C" NOT NULL,
            lease_until TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX work_claims_by_server ON work_claims(server);
        CREATE TABLE rate_usage (
            caller TEXT COLLATE "C" NOT NULL,
            kind TEXT COLLATE "C" NOT NULL,
            server TEXT COLLATE "C" NOT NULL,
            window_start BIGINT NOT NULL,
            used BIGINT NOT NULL,
            reported_at BIGINT NOT NULL,
            PRIMARY KEY (caller, kind, server)
        );
        CREATE TABLE store_settings (
            name TEXT COLLATE "C" PRIMARY KEY,
            value TEXT COLLATE "C" NOT NULL
        );
        CREATE TABLE simulated_objects (
            kind TEXT COLLATE "C" NOT NULL,
            id TEXT COLLATE "C" NOT NULL,
            state TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE simulated_console (
            vm_id TEXT COLLATE "C" NOT NULL,
            seq BIGINT NOT NULL,
            line TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (vm_id, seq)
        );
        CREATE TABLE simulated_executions (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            resource_id TEXT COLLATE "C" NOT NULL,
            operation TEXT COLLATE "C" NOT NULL,
            server TEXT COLLATE "C" NOT NULL,
            started_at TEXT COLLATE "C" NOT NULL,
            ended_at TEXT COLLATE "C"
        );
        CREATE INDEX simulated_executions_by_resource ON simulated_executions(resource_id, started_at);
        """,
    ];

    public static int Latest => Steps.Length;

    /// <summary>
    /// Applies the missing steps, each in its own transaction with its row in schema_migrations. Under a session advisory
    /// lock, taken before anything else (even CREATE TABLE IF NOT EXISTS races with itself), so servers starting at once
    /// on an empty database do not race: the second waits, then finds the steps applied.
    /// </summary>
    public static void Apply(NpgsqlConnection connection)
    {
        connection.Execute("SELECT pg_advisory_lock(@LockKey)", new { LockKey });
        try
        {
            connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)");
            var version = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            if (version > Steps.Length)
                throw new NewerStoreException(version, Steps.Length);
            for (var step = (int)version; step < Steps.Length; step++)
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute(Steps[step], transaction: transaction);
                connection.Execute("""
                    INSERT INTO schema_migrations (version, applied_at)
                    VALUES (@version, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                    """, new { version = step + 1 }, transaction);
                transaction.Commit();
            }
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(@LockKey)", new { LockKey });
        }
    }
}
