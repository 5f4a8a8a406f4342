#!/usr/bin/env bash
# The panel's time to first screen, measured in Debian's Chromium (headless, via Playwright) against a Release server
# over HTTPS (as deployed: the browser gets Brotli only over HTTPS) on loopback, simulated driver at 0 ms, with one
# user owning VMS active VMs. Prints median and p90 of RUNS runs, each in a fresh browser context (no cache, no cookie).
#   ./bench/panel.sh [--vms 20] [--runs 10]
set -euo pipefail
cd "$(dirname "$0")/.."
vms=20 runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --vms) vms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--vms N] [--runs N]" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/chromium ] || { apt-get update -qq && apt-get install -y -qq chromium > /dev/null; }
. bench/server.sh
dotnet build bench/PanelTiming -c Release --nologo -v quiet -clp:ErrorsOnly

# server.sh serves plain HTTP; this one needs HTTPS, so it starts the server itself the same way, without --http.
dotnet build src/CloudsFor -c Release --nologo -v quiet -clp:ErrorsOnly
port=$(free_port)
work=$(mktemp -d)
password="bench-$RANDOM$RANDOM"
server_pid=""
trap stop_server EXIT
CLOUDSFOR_ADMIN_PASSWORD="$password" dotnet src/CloudsFor/bin/Release/net10.0/cloudsfor.dll serve --data "$work/data" \
  --listen "127.0.0.1:$port" --dns-listen off --sim-delay-ms 0 --rate-per-minute 0 --rate-per-hour 0 > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  grep -q "cloudsfor: listening on" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
origin="https://127.0.0.1:$port"
api() { curl -sS --fail-with-body --cacert "$work/data/tls/ca.pem" -H 'Content-Type: application/json' "$@"; }

api -u "admin:$password" "$origin/api/v1/users" -d '{"username":"panel","password":"panel-bench-pw","email":"panel@bench.test","vm_limit":100000}' > /dev/null
for first in $(seq 1 10 "$vms"); do # POST /vms takes up to 10 names
  last=$(( first + 9 < vms ? first + 9 : vms ))
  api -u panel:panel-bench-pw "$origin/api/v1/vms" \
    -d "{\"names\":[$(seq -s, -f '"vm-%g"' "$first" "$last")],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\",\"tags\":[\"bench\"]}" > /dev/null
done
for _ in $(seq 1 300); do
  active=$(api -u panel:panel-bench-pw "$origin/api/v1/vms?status=active&per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["total"])')
  [ "$active" -ge "$vms" ] && break
  sleep 0.2
done
rows=$(( vms < 20 ? vms : 20 )) # the list's first page
dotnet bench/PanelTiming/bin/Release/net10.0/panel-timing.dll "$origin" panel panel-bench-pw "$rows" "$runs"
