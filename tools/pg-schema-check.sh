#!/usr/bin/env bash
# Checks that PostgresMigrations' schema is Migrations' SQLite schema: starts a throwaway PostgreSQL 15 (a database whose
# own collation is en-US, so byte order has to come from the schema), applies the steps of both files, compares tables,
# columns, defaults, indexes and triggers, then runs tools/pg-schema-check.sql on both and compares every table after
# each block. Prints the differences; exits 1 on any. Run as root (PostgreSQL runs as the postgres user).
# Usage: [KEEP=1] tools/pg-schema-check.sh [port]   (default 55441; KEEP=1 keeps the outputs in the work folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-55441}
"$root/tools/install-missing.sh" postgresql sqlite3 python3

work=$(mktemp -d /tmp/pg-schema-check.XXXXXX)
chown postgres:postgres "$work"
pgbin=/usr/lib/postgresql/15/bin
stop() {
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap stop EXIT
runuser -u postgres -- "$pgbin/initdb" -D "$work/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off" start >/dev/null
psql=(psql -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
"${psql[@]}" -c "CREATE DATABASE cloudsfor TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
pg=("${psql[@]}" -d cloudsfor -At -F '|' -P null=NULL)
db="$work/cloudsfor.db"
lite=(sqlite3 -bail -batch -noheader -list -separator '|' -nullvalue NULL -cmd 'PRAGMA foreign_keys=ON' "$db")

# The steps, as C# holds them: the raw string literals of the Steps array, without their indentation.
python3 - "$root/src/CloudsFor/Store" "$work" <<'EOF'
import pathlib, re, sys
store, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for name, engine in (("Migrations.cs", "sqlite"), ("PostgresMigrations.cs", "pg")):
    text = store.joinpath(name).read_text()
    array = text[text.index("Steps =") : text.index("\n    ];", text.index("Steps ="))]
    steps = re.findall(r'\n( *)"""\n(.*?)\n\1"""', array, re.S)
    for i, (indent, body) in enumerate(steps, 1):
        sql = "\n".join(line[len(indent):] for line in body.split("\n"))
        work.joinpath(f"{engine}-{i:02}.sql").write_text(sql + "\n")
    print(f"{name}: {len(steps)} steps")
EOF
for step in "$work"/sqlite-*.sql; do
  n=$(basename "$step" .sql); n=$((10#${n#sqlite-}))
  { echo "BEGIN;"; cat "$step"; echo "PRAGMA user_version = $n; COMMIT;"; } | "${lite[@]}" >/dev/null
done
for step in "$work"/pg-*.sql; do
  "${pg[@]}" -1 -f "$step"
done

status=0
compare() { # label, sqlite output file, postgres output file
  if ! diff -u --label "sqlite: $1" --label "postgres: $1" "$2" "$3"; then status=1; fi
}

# The schema. SQLite's type names map as PostgresMigrations says; a single INTEGER PRIMARY KEY is the rowid, an identity;
# a table's hidden rowid is listed where PostgreSQL has it as a column (actions), and every SQLite index ends in the rowid,
# so a trailing rowid in a PostgreSQL index is left out. SQLite lets a TEXT primary key hold NULL (an old quirk); it never does here.
# Text in SQLite compares by bytes: a PostgreSQL column of another collation than "C" shows as a difference.
"${lite[@]}" > "$work/schema.sqlite" <<'EOF'
SELECT m.name || '.' || p.name || ' #' || p.cid || ' '
    || CASE upper(p.type) WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text' WHEN 'REAL' THEN 'double precision' WHEN 'BLOB' THEN 'bytea' ELSE '?' || p.type END
    || CASE WHEN p."notnull" OR p.pk > 0 THEN ' not null' ELSE '' END
    || CASE WHEN p.dflt_value IS NOT NULL THEN ' default ' || p.dflt_value ELSE '' END
    || CASE WHEN p.pk = 1 AND upper(p.type) = 'INTEGER' AND (SELECT COUNT(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1 THEN ' identity by default' ELSE '' END
  FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'
UNION ALL SELECT 'actions.rowid #' || (SELECT COUNT(*) FROM pragma_table_info('actions')) || ' bigint not null identity always'
ORDER BY 1;
SELECT m.name || ' ' || CASE i.origin WHEN 'pk' THEN '<pk>' WHEN 'u' THEN '<unique>' ELSE i.name END
    || ' (' || (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(i.name) ORDER BY seqno)) || ')'
    || CASE WHEN i."unique" THEN ' unique' ELSE '' END
    || CASE WHEN i.partial THEN ' where ' || substr(x.sql, instr(x.sql, ' WHERE ') + 7) ELSE '' END
  FROM sqlite_master m, pragma_index_list(m.name) i LEFT JOIN sqlite_master x ON x.type = 'index' AND x.name = i.name
  WHERE m.type = 'table'
UNION ALL SELECT m.name || ' <pk> (' || p.name || ') unique' FROM sqlite_master m, pragma_table_info(m.name) p
  WHERE m.type = 'table' AND p.pk = 1 AND upper(p.type) = 'INTEGER' AND (SELECT COUNT(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1
ORDER BY 1;
SELECT 'trigger ' || name || ' on ' || tbl_name || ' '
    || CASE WHEN sql LIKE '% INSERT ON %' THEN 'insert' WHEN sql LIKE '% DELETE ON %' THEN 'delete' ELSE 'update' END
  FROM sqlite_master WHERE type = 'trigger' ORDER BY 1;
EOF
"${pg[@]}" > "$work/schema.pg" <<'EOF'
SELECT c.relname || '.' || a.attname || ' #' || (a.attnum - 1) || ' ' || format_type(a.atttypid, a.atttypmod)
    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
    || CASE WHEN d.adbin IS NOT NULL THEN ' default ' || replace(pg_get_expr(d.adbin, d.adrelid), '::text', '') ELSE '' END
    || CASE a.attidentity WHEN 'd' THEN ' identity by default' WHEN 'a' THEN ' identity always' ELSE '' END
    || CASE WHEN a.attcollation NOT IN (0, 'pg_catalog."C"'::regcollation) THEN ' collate ' || a.attcollation::regcollation ELSE '' END AS line
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.relkind = 'r' ORDER BY line;
SELECT t.relname || ' ' || CASE con.contype WHEN 'p' THEN '<pk>' WHEN 'u' THEN '<unique>' ELSE i.relname END
    || ' (' || (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE NOT (a.attname = 'rowid' AND k.n = array_length(x.indkey, 1) AND k.n > 1)) || ')'
    || CASE WHEN x.indisunique THEN ' unique' ELSE '' END
    || CASE WHEN x.indpred IS NOT NULL
            THEN ' where ' || regexp_replace(replace(pg_get_expr(x.indpred, x.indrelid), '::text', ''), '^\((.*)\)$', '\1') ELSE '' END AS line
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
  LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u')
  ORDER BY line;
SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass || ' '
    || CASE WHEN tgtype & 4 <> 0 THEN 'insert' WHEN tgtype & 8 <> 0 THEN 'delete' ELSE 'update' END AS line
  FROM pg_trigger WHERE NOT tgisinternal ORDER BY line;
EOF
for f in "$work"/schema.*; do LC_ALL=C sort -o "$f" "$f"; done
compare schema "$work/schema.sqlite" "$work/schema.pg"

# The writes, block by block, each followed by every table (in primary key order, floats as hundredths).
tables=$("${lite[@]}" "SELECT m.name || ':' || (SELECT COUNT(*) FROM pragma_table_info(m.name)) FROM sqlite_master m WHERE m.type = 'table' ORDER BY m.name")
python3 - "$root/tools/pg-schema-check.sql" "$work" $tables <<'EOF'
import pathlib, re, sys
script, work, tables = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2]), sys.argv[3:]
dumps = {}
for t, n in (t.split(":") for t in tables):
    n = int(n) + (t == "actions")
    cols = {"actions": "rowid, id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at",
            "images": "id, account_id, slug, name, distribution, type, description, min_disk_size, CAST(size_gigabytes * 100 AS BIGINT), "
                      "region_slug, vm_id, status, created_at, source_url, error_message",
            "idempotency_keys": "account_id, key, request_hash, status, length(body), location, created_at"}.get(t, "*")
    dumps[t] = f"SELECT '{t}', {cols} FROM {t} ORDER BY {', '.join(str(i) for i in range(2, n + 2))};"
out = {"sqlite": [], "pg": []}
for block in re.split(r"^-- check: ", script, flags=re.M)[1:]:
    label, body = block.split("\n", 1)
    for engine in out:
        lines = []
        for line in body.split("\n"):
            m = re.match(r"--(sqlite|pg): (.*)", line)
            if m:
                if m.group(1) == engine: lines.append(m.group(2))
            elif not line.startswith("--"):
                lines.append(line)
        out[engine] += ["SELECT '== " + label.replace("'", "''") + "';", *lines, *dumps.values()]
for engine, lines in out.items():
    work.joinpath(f"run.{engine}.sql").write_text("\n".join(lines) + "\n")
EOF
# JSON written by json_object and json_build_object differs in spacing only: both sides are compared as parsed JSON.
normalize() {
  python3 -c '
import json, sys
for line in sys.stdin:
    fields = line.rstrip("\n").split("|")
    for i, f in enumerate(fields):
        if f[:1] in "[{" and f not in ("[]", "{}"):
            try: fields[i] = json.dumps(json.loads(f), sort_keys=True, separators=(",", ":"))
            except ValueError: pass
    print("|".join(fields))'
}
"${lite[@]}" < "$work/run.sqlite.sql" | normalize > "$work/run.sqlite"
"${pg[@]}" -f "$work/run.pg.sql" | normalize > "$work/run.pg"
compare "tables after each block of tools/pg-schema-check.sql" "$work/run.sqlite" "$work/run.pg"

# SQLite's exact text, which parsing above would forgive.
json=$("${pg[@]}" -c "SELECT json_group_array(x ORDER BY x) FROM (VALUES ('b'),('a')) v(x)" \
                  -c "SELECT json_group_array(x ORDER BY x) FROM (VALUES ('b'),('a')) v(x) WHERE false")
want=$'["a","b"]\n[]'
[ "$json" = "$want" ] || { echo "json_group_array gives $json, not $want"; status=1; }

blocks=$(grep -c '^-- check: ' "$root/tools/pg-schema-check.sql")
lines=$(wc -l < "$work/run.pg")
if [ $status -eq 0 ]; then
  echo "pg-schema-check: no differences ($(wc -l < "$work/schema.pg") schema lines, $blocks blocks, $lines lines of table contents)"
else
  echo "pg-schema-check: DIFFERENCES above"
fi
exit $status
