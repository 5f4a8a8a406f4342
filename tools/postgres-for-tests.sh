#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only.
#   tools/postgres-for-tests.sh start DIR   makes a cluster in DIR (which must not hold one yet), starts it and
#                                           prints its base URL, postgres://postgres@127.0.0.1:PORT/postgres
#   tools/postgres-for-tests.sh stop DIR    stops it (DIR stays; remove it yourself)
#   tools/postgres-for-tests.sh resume DIR  starts a stopped cluster again on its port (a test of a database outage)
# Trust authentication and fsync off: nothing here is secret or measured for durability. max_connections is high
# because the tests run many servers side by side and each keeps a pool. PostgreSQL refuses to run as root, so
# when run as root (as CI is) the binaries run as the postgres user, who then owns DIR.
set -euo pipefail
usage() { echo "usage: $0 start|stop|resume DIR" >&2; exit 2; }
[ $# = 2 ] || usage
command=$1
dir=$(realpath -m "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "$0: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_on() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $1 -k $dir -c fsync=off -c max_connections=300" start >/dev/null
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ ! -e "$dir/data" ] || { echo "$0: $dir already holds a cluster" >&2; exit 1; }
    [ "$(id -u)" != 0 ] || chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Below Linux's ephemeral range (32768-60999), where the tests' own servers take their ports; a port that is
    # taken after all makes the start fail, and another is tried.
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      port=$((20000 + RANDOM % 12000))
      [ -z "$(ss -Htln "sport = :$port")" ] || continue
      if start_on "$port"; then
        echo "$port" >"$dir/port"
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    echo "$0: PostgreSQL did not start; its log:" >&2
    cat "$dir/postgres.log" >&2 2>/dev/null || true
    exit 1
    ;;
  resume)
    start_on "$(cat "$dir/port")"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) usage ;;
esac
