-- The writes tools/pg-schema-check.sh runs on SQLite and on PostgreSQL, in blocks: after each "-- check:" line's block
-- the script prints every table on both engines and compares. Mostly the statements of Store/*Sql.cs with values in
-- place of parameters. A line "--sqlite: ..." runs on SQLite only, "--pg: ..." on PostgreSQL only (SQLite 3.40's CLI has
-- no ORDER BY inside an aggregate; the server's SQLite has).

-- check: users, with the defaults later steps added
INSERT INTO users (id, username, email, password_hash, is_admin, vm_limit, created_at) VALUES ('u1', 'alice', 'a@x', 'h', 0, 10, '2026-01-01T00:00:00Z');
INSERT INTO users (id, username, email, password_hash, is_admin, vm_limit, created_at) VALUES ('u2', 'Bob', 'b@x', 'h', 1, 10, '2026-01-01T00:00:01Z');

-- check: VMs created: running sums, page generations, versions from 0
INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, port_forwards, created_at, deleted_at)
    VALUES ('vmA', 'u1', 'a', 'new', 1, 's', 1024, 1, 25, 'fra1', 'img1', 2, '', '[]', '[]', '2026-01-02T00:00:00Z', NULL);
INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, port_forwards, created_at, deleted_at)
    VALUES ('vmb', 'u1', 'b', 'new', 1, 's', 2048, 2, 50, 'fra1', 'img1', 3, '', '[]', '[]', '2026-01-02T00:00:01Z', NULL);
INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, port_forwards, created_at, deleted_at)
    VALUES ('vmC', 'u2', 'c', 'active', 0, 's', 512, 1, 10, 'nyc1', 'img2', 2, '', '[]', '[]', '2026-01-02T00:00:02Z', NULL);
INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, created_at, deleted_at)
    VALUES ('vmD', 'u2', 'd', 'active', 0, 's', 512, 1, 10, 'nyc1', 'img2', 3, '', '[]', '2026-01-02T00:00:03Z', '2026-01-03T00:00:00Z');

-- check: VmsSql.Update moves the version itself (no second bump); a plain update is bumped by the trigger
UPDATE vms SET name = 'a2', status = 'active', locked = 0, size_slug = 's2', memory = 4096, vcpus = 4, disk = 80, image_id = 'img1', port_forwards = '[]', version = version + 1 WHERE id = 'vmA';
UPDATE vms SET status = 'off' WHERE id = 'vmb';
UPDATE vms SET status = status WHERE account_id = 'u2';
UPDATE vms SET ssh_keys = '["k"]' WHERE id = 'vmC';

-- check: mark deleted, restore, delete (sums of account and region, generations)
UPDATE vms SET deleted_at = '2026-01-04T00:00:00Z', locked = 1, version = version + 1 WHERE id = 'vmb';
UPDATE vms SET deleted_at = '2026-01-04T00:00:01Z', locked = 1, version = version + 1 WHERE id = 'vmb';
UPDATE vms SET deleted_at = NULL, version = version + 1 WHERE id = 'vmD';
DELETE FROM vms WHERE id = 'vmb';
DELETE FROM vms WHERE id = 'vmD';

-- check: a deleted VM removed does not move the generation; a moved created_at and account do (both accounts)
INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, created_at, deleted_at)
    VALUES ('vmE', 'u2', 'e', 'active', 0, 's', 512, 1, 10, 'nyc1', 'img2', 4, '', '[]', '2026-01-05T00:00:00Z', '2026-01-05T00:00:01Z');
DELETE FROM vms WHERE id = 'vmE';
UPDATE vms SET created_at = '2026-01-02T00:00:09Z' WHERE id = 'vmA';
UPDATE vms SET account_id = 'u2' WHERE id = 'vmA';
UPDATE vms SET account_id = 'u1', vcpus = 2, deleted_at = '2026-01-06T00:00:00Z' WHERE id = 'vmA';
UPDATE vms SET deleted_at = NULL WHERE id = 'vmA';

-- check: VM tags: insert, the same again (nothing), untag (VmsSql.SetTags, TagsSql.Tag/Untag)
INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES ('vmA', 'web', '2026-01-07T00:00:00Z') ON CONFLICT DO NOTHING;
INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES ('vmA', 'web', '2026-01-07T00:00:01Z') ON CONFLICT DO NOTHING;
INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES ('vmA', 'DB', '2026-01-07T00:00:02Z') ON CONFLICT DO NOTHING;
INSERT INTO vm_tags (vm_id, tag, tagged_at) VALUES ('vmA', 'api', '2026-01-07T00:00:03Z') ON CONFLICT DO NOTHING;
INSERT INTO vm_tags (vm_id, tag) VALUES ('vmC', 'web');
DELETE FROM vm_tags WHERE vm_id = 'vmA' AND tag NOT IN ('web', 'DB');
INSERT INTO tags (account_id, name, created_at) VALUES ('u1', 'web', '2026-01-07T00:00:00Z') ON CONFLICT DO NOTHING;
INSERT INTO tags (account_id, name, created_at) VALUES ('u1', 'web', '2026-01-07T00:00:05Z') ON CONFLICT DO NOTHING;
INSERT INTO tags (account_id, name, created_at) VALUES ('u1', 'Web', '2026-01-07T00:00:00Z') ON CONFLICT DO NOTHING;

-- check: images: a snapshot of a VM, the catalog upsert with and without a real change, a change to error_message only
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('img1', NULL, 'debian-12', 'Debian', 'Debian', 'distribution', '', 10, 1.5, NULL, NULL, 'available', '2026-01-01T00:00:00Z', NULL, NULL);
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('img2', NULL, 'ubuntu', 'Ubuntu', 'Ubuntu', 'distribution', '', 10, 2.25, NULL, NULL, 'available', '2026-01-01T00:00:00Z', NULL, NULL);
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('snap1', 'u2', NULL, 'snap', 'Debian', 'snapshot', '', 25, 0.5, 'nyc1', 'vmC', 'available', '2026-01-08T00:00:00Z', NULL, NULL);
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('img1', NULL, 'debian-12', 'Debian', 'Debian', 'distribution', '', 10, 1.5, NULL, NULL, 'available', '2026-02-01T00:00:00Z', NULL, NULL)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, distribution = excluded.distribution, description = excluded.description,
        min_disk_size = excluded.min_disk_size, size_gigabytes = excluded.size_gigabytes, status = excluded.status;
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('img2', NULL, 'ubuntu', 'Ubuntu 24.04', 'Ubuntu', 'distribution', '', 10, 2.25, NULL, NULL, 'available', '2026-02-01T00:00:00Z', NULL, NULL)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, distribution = excluded.distribution, description = excluded.description,
        min_disk_size = excluded.min_disk_size, size_gigabytes = excluded.size_gigabytes, status = excluded.status;
INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at, source_url, error_message)
    VALUES ('snap1', 'u2', NULL, 'snap', 'Debian', 'snapshot', '', 25, 0.5, 'nyc1', 'vmC', 'available', '2026-01-08T00:00:00Z', NULL, NULL)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, status = excluded.status;
UPDATE images SET error_message = 'late', source_url = 'http://x' WHERE id = 'snap1';
UPDATE images SET status = 'retired' WHERE account_id IS NULL AND id NOT IN ('img2');
UPDATE images SET name = 'snap2', description = 'd', distribution = 'Debian' WHERE id = 'snap1' AND account_id = 'u2';

-- check: image tags move the versions of the VMs made from the image; other resource types do not
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u2', 'gold', 'image', 'img2', '2026-01-09T00:00:00Z') ON CONFLICT DO NOTHING;
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u2', 'gold', 'image', 'img2', '2026-01-09T00:00:01Z') ON CONFLICT DO NOTHING;
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u2', 'gold', 'image', 'snap1', '2026-01-09T00:00:02Z') ON CONFLICT DO NOTHING;
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u2', 'gold', 'volume', 'img2', '2026-01-09T00:00:03Z') ON CONFLICT DO NOTHING;
DELETE FROM resource_tags WHERE account_id = 'u2' AND tag = 'gold' AND resource_type = 'volume' AND resource_id = 'img2';
DELETE FROM resource_tags WHERE account_id = 'u2' AND tag = 'gold' AND resource_type = 'image' AND resource_id = 'img2';
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u2', 'Gold', 'image', 'img2', '2026-01-09T00:00:04Z');

-- check: an image deleted: its VMs' and its snapshot VM's versions move, its tags go
DELETE FROM images WHERE id = 'snap1' AND account_id = 'u2';
DELETE FROM images WHERE id = 'img2';

-- check: domains: records, tags, a delete cascades and empties resource_tags
INSERT INTO domains (name, account_id, ttl, serial, created_at) VALUES ('example.com', 'u1', 1800, 1, '2026-01-10T00:00:00Z');
INSERT INTO domains (name, account_id, ttl, serial, created_at) VALUES ('keep.org', 'u1', 1800, 1, '2026-01-10T00:00:01Z');
INSERT INTO domain_records (id, domain_name, account_id, type, name, data, priority, port, ttl, weight, flags, tag, created_at)
    VALUES ('r1', 'example.com', 'u1', 'A', 'www', '192.0.2.1', NULL, NULL, 1800, NULL, NULL, NULL, '2026-01-10T00:00:00Z');
INSERT INTO domain_records (id, domain_name, account_id, type, name, data, priority, port, ttl, weight, flags, tag, created_at)
    VALUES ('r2', 'keep.org', 'u1', 'MX', '@', 'mx.keep.org', 10, NULL, 1800, NULL, NULL, NULL, '2026-01-10T00:00:01Z');
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u1', 'web', 'domain', 'example.com', '2026-01-10T00:00:02Z');
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u1', 'web', 'domain', 'keep.org', '2026-01-10T00:00:03Z');
UPDATE domains SET serial = 2 WHERE name = 'keep.org';
DELETE FROM domains WHERE name = 'example.com' AND account_id = 'u1';

-- check: volumes: attach and detach move the VMs' versions, a status change does not
INSERT INTO volumes (id, account_id, name, description, size_gigabytes, region_slug, filesystem_type, filesystem_label, status, locked, vm_id, target_vm_id, created_at, deleted_at)
    VALUES ('vol1', 'u1', 'data', '', 10, 'fra1', 'ext4', '', 'available', 0, NULL, NULL, '2026-01-11T00:00:00Z', NULL);
INSERT INTO volumes (id, account_id, name, description, size_gigabytes, region_slug, filesystem_type, filesystem_label, status, locked, vm_id, target_vm_id, created_at, deleted_at)
    VALUES ('vol2', 'u2', 'data', '', 20, 'nyc1', 'ext4', '', 'available', 0, NULL, NULL, '2026-01-11T00:00:01Z', NULL);
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u1', 'web', 'volume', 'vol1', '2026-01-11T00:00:02Z');
UPDATE volumes SET size_gigabytes = 10, status = 'available', locked = 1, vm_id = NULL, target_vm_id = 'vmA' WHERE id = 'vol1';
UPDATE volumes SET size_gigabytes = 10, status = 'available', locked = 0, vm_id = 'vmA', target_vm_id = 'vmA' WHERE id = 'vol1';
UPDATE volumes SET size_gigabytes = 10, status = 'available', locked = 0, vm_id = 'vmA', target_vm_id = 'vmA' WHERE id = 'vol1';
UPDATE volumes SET vm_id = 'vmC', target_vm_id = 'vmC' WHERE id = 'vol2';
UPDATE volumes SET vm_id = 'vmA' WHERE id = 'vol2';
UPDATE volumes SET vm_id = NULL, target_vm_id = NULL WHERE vm_id = 'vmA' OR target_vm_id = 'vmA';
UPDATE volumes SET vm_id = 'vmC', target_vm_id = 'vmC' WHERE id = 'vol2';
UPDATE volumes SET deleted_at = '2026-01-12T00:00:00Z', locked = 1 WHERE id = 'vol1';
UPDATE volumes SET deleted_at = NULL WHERE id = 'vol1';

-- check: a volume removed: an attached one moves its VM's version; its tags go
DELETE FROM volumes WHERE id = 'vol2';
DELETE FROM volumes WHERE id = 'vol1';

-- check: volume snapshots and their tags
INSERT INTO volume_snapshots (id, account_id, name, volume_id, region_slug, min_disk_size, size_bytes, filesystem_type, filesystem_label, status, created_at)
    VALUES ('vs1', 'u1', 's', 'vol1', 'fra1', 10, 0, 'ext4', '', 'new', '2026-01-13T00:00:00Z');
INSERT INTO volume_snapshot_tags (snapshot_id, tag) VALUES ('vs1', 'b');
INSERT INTO volume_snapshot_tags (snapshot_id, tag) VALUES ('vs1', 'A');
UPDATE volume_snapshots SET status = 'available', size_bytes = 1073741825 WHERE id = 'vs1';

-- check: actions in the order the store accepted them (rowid), whatever their ids
INSERT INTO actions (id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at)
    VALUES ('zz', 'u1', 'vmA', 'vm', 'create', 'in-progress', '{}', 'fra1', NULL, 0, '2026-01-14T00:00:00Z', NULL);
INSERT INTO actions (id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at)
    VALUES ('aa', 'u1', 'vmA', 'vm', 'reboot', 'in-progress', '{}', 'fra1', NULL, 0, '2026-01-14T00:00:00Z', NULL);
INSERT INTO actions (id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at)
    VALUES ('mm', 'u2', 'vmC', 'vm', 'reboot', 'in-progress', '{}', 'nyc1', NULL, 0, '2026-01-14T00:00:00Z', NULL);
UPDATE actions SET attempts = attempts + 1 WHERE id = 'zz';
UPDATE actions SET status = 'completed', error = NULL, completed_at = '2026-01-14T00:00:01Z' WHERE id = 'zz';
SELECT 'ResourcesInProgress', resource_id FROM actions WHERE status = 'in-progress' GROUP BY resource_id ORDER BY MIN(rowid);
SELECT 'NextInProgress', id FROM actions WHERE resource_id = 'vmA' AND status = 'in-progress' ORDER BY rowid LIMIT 1;

-- check: events: ids are the stream's positions; pruning never takes the newest, so ids go on
INSERT INTO events (account_id, type, resource_type, resource_id, resource, created_at) VALUES ('u1', 'created', 'vm', 'vmA', '{}', '2026-01-15T00:00:00Z');
INSERT INTO events (account_id, type, resource_type, resource_id, resource, created_at) VALUES ('u1', 'updated', 'vm', 'vmA', NULL, '2026-01-15T00:00:01Z');
INSERT INTO events (account_id, type, resource_type, resource_id, resource, created_at) VALUES ('u2', 'updated', 'vm', 'vmC', NULL, '2026-01-15T00:00:02Z');
DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 5) AND created_at < '2026-02-01' AND id < (SELECT MAX(id) FROM events);
INSERT INTO events (account_id, type, resource_type, resource_id, resource, created_at) VALUES ('u1', 'deleted', 'vm', 'vmA', NULL, '2026-01-15T00:00:03Z');
SELECT 'Bounds', COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM events;

-- check: sessions, keys, tokens, idempotency keys (an upsert)
INSERT INTO sessions (secret_hash, id, user_id, created_at, expires_at, idle_expires_at) VALUES ('sh', 's1', 'u1', '2026-01-16', '2026-02-16', '2026-01-17');
UPDATE sessions SET idle_expires_at = '2026-01-18' WHERE secret_hash = 'sh' AND idle_expires_at < '2026-01-18';
INSERT INTO ssh_keys (id, account_id, name, public_key, fingerprint, fingerprint_sha256, created_at) VALUES ('k1', 'u1', 'k', 'ssh-ed25519 A', 'md5', 'sha', '2026-01-16');
INSERT INTO tokens (id, user_id, name, scopes, secret_hash, created_at, expires_at) VALUES ('t1', 'u1', 't', 'read', 'tsh', '2026-01-16', NULL);
UPDATE tokens SET secret_hash = 'tsh2' WHERE secret_hash = 'tsh';

-- check: VM tag counts and the newest tagged (TagsSql.Counts), in byte order on both
SELECT vm_tags.tag, 'vm' AS resource_type, COUNT(*) AS count, MAX(vm_tags.tagged_at || ' ' || vm_tags.vm_id) AS last
    FROM vm_tags JOIN vms ON vms.id = vm_tags.vm_id
    WHERE vm_tags.tag IN ('web', 'DB') AND vms.account_id = 'u1' AND vms.deleted_at IS NULL GROUP BY vm_tags.tag ORDER BY vm_tags.tag;
SELECT id, version, created_at FROM vms WHERE account_id = 'u1' AND deleted_at IS NULL AND (created_at, id) > ('2026-01-01', 'a') ORDER BY created_at, id LIMIT 10;

-- check: json_group_array, as the relations of a VM and the tags of a resource read it
--sqlite: SELECT 'tags', (SELECT json_group_array(tag) FROM (SELECT tag FROM vm_tags WHERE vm_id = 'vmA' ORDER BY tag));
--pg: SELECT 'tags', (SELECT json_group_array(tag ORDER BY tag) FROM vm_tags WHERE vm_id = 'vmA');
--sqlite: SELECT 'none', (SELECT json_group_array(tag) FROM (SELECT tag FROM vm_tags WHERE vm_id = 'nothing' ORDER BY tag));
--pg: SELECT 'none', (SELECT json_group_array(tag ORDER BY tag) FROM vm_tags WHERE vm_id = 'nothing');
--sqlite: SELECT 'string', '' || (SELECT json_group_array(tag) FROM (SELECT tag FROM volume_snapshot_tags ORDER BY tag));
--pg: SELECT 'string', '' || (SELECT json_group_array(tag ORDER BY tag) FROM volume_snapshot_tags);
--sqlite: SELECT 'objects', (SELECT json_group_array(json_object('id', id, 'n', size_bytes, 'x', NULL)) FROM (SELECT * FROM volume_snapshots ORDER BY id));
--pg: SELECT 'objects', (SELECT json_group_array(json_build_object('id', id, 'n', size_bytes, 'x', NULL) ORDER BY id) FROM volume_snapshots);
--sqlite: SELECT 'numbers', (SELECT json_group_array(x) FROM (SELECT 3 AS x UNION ALL SELECT NULL UNION ALL SELECT 1));
--pg: SELECT 'numbers', (SELECT json_group_array(x) FROM (SELECT 3 AS x UNION ALL SELECT NULL UNION ALL SELECT 1) v);

-- check: a user deleted takes everything of theirs (cascades, and the triggers they fire)
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u1', 'web', 'image', 'img1', '2026-01-17');
INSERT INTO volumes (id, account_id, name, description, size_gigabytes, region_slug, filesystem_type, filesystem_label, status, locked, vm_id, target_vm_id, created_at, deleted_at)
    VALUES ('vol3', 'u1', 'data', '', 10, 'fra1', 'ext4', '', 'available', 0, 'vmA', 'vmA', '2026-01-17', NULL);
INSERT INTO resource_tags (account_id, tag, resource_type, resource_id, tagged_at) VALUES ('u1', 'web', 'volume', 'vol3', '2026-01-17');
DELETE FROM users WHERE id = 'u1';
