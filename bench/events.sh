#!/usr/bin/env bash
# Do open event streams slow the API? GET /vms/{id} and POST /vms, measured with wrk without streams and then
# with STREAMS open SSE streams (GET /events, spread over 10 accounts, the measured account's among them, so
# every create is also fanned out to its streams). Plain HTTP on loopback, rate limits off, simulated driver at 0 ms.
#   ./bench/events.sh [--streams 1000] [--duration 5] [--connections 16]
# CF_SERVER_DLL=path/to/cloudsfor.dll measures that build instead (an older one without /events: pass --streams 0).
set -euo pipefail
cd "$(dirname "$0")/.."
streams=1000 duration=5 connections=16
while [ $# -gt 0 ]; do
  case "$1" in
    --streams) streams=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: $0 [--streams N] [--duration S] [--connections N]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
. bench/server.sh

port=$(free_port)
catalog=$(mktemp)
# Regions with room for every VM the POST run makes (as bench/Runner/Seeding.cs does).
python3 - "$catalog" <<'EOF'
import json, sys
c = json.load(open("src/CloudsFor/Model/default-catalog.json"))
for i, r in enumerate(c["regions"]):
    r["ip_range"] = ["10.0.0.0/9", "10.128.0.0/9"][i % 2]
    r["capacity"] = {"vcpus": 100_000_000, "memory": 100_000_000_000, "disk": 100_000_000_000}
json.dump(c, open(sys.argv[1], "w"))
EOF
if [ -n "${CF_SERVER_DLL:-}" ]; then
  # The same start as server.sh, with the given build.
  dotnet() { if [ "$1" = build ]; then return 0; fi; if [ "$1" = src/CloudsFor/bin/Release/net10.0/cloudsfor.dll ]; then shift; exec dotnet "$CF_SERVER_DLL" "$@"; else command dotnet "$@"; fi; }
fi
limits=()
[ "$streams" -gt 0 ] && limits=(--events-max-streams 1000000)
start_server --listen "127.0.0.1:$port" --dns-listen off --sim-delay-ms 0 --catalog "$catalog" "${limits[@]}"
origin="http://127.0.0.1:$port"
admin="admin:$password"

# Ten accounts; the first one's VMs are read and its creates measured.
for i in $(seq 0 9); do
  curl -sf -u "$admin" -H 'Content-Type: application/json' "$origin/api/v1/users" \
    -d "{\"username\":\"bench$i\",\"password\":\"bench-pw-$i\",\"email\":\"b$i@bench.test\",\"vm_limit\":1000000}" > /dev/null
done
auth="Basic $(printf 'bench0:bench-pw-0' | base64)"
for b in $(seq 0 9); do
  curl -sf -u bench0:bench-pw-0 -H 'Content-Type: application/json' "$origin/api/v1/vms" \
    -d "{\"names\":[$(seq -s, -f "\"seed-$b-%g\"" 0 9)],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}" > /dev/null
done
curl -sf -u bench0:bench-pw-0 "$origin/api/v1/vms?per_page=200" | python3 -c 'import json,sys; [print("/api/v1/vms/" + v["id"]) for v in json.load(sys.stdin)["vms"]]' > "$work/paths"

run() { # NAME METHOD BODY EXPECTED
  CF_METHOD=$2 CF_PATHS=$3 CF_THREADS=2 CF_AUTH="$auth" CF_BODY=$4 CF_EXPECTED=$5 \
    wrk -t2 -c"$connections" -d"${duration}s" -s bench/wrk/api.lua "$origin" 2>&1 | grep CF_RESULT | sed 's/CF_RESULT //' |
    python3 -c 'import json,sys; r=json.load(sys.stdin); e=sum(r[k] for k in ("unexpected","connect","read","write","timeout")); print("| %s | %s | %s | %.2f | %.2f | %d |" % (sys.argv[1], sys.argv[2], format(round(r["requests"]/r["duration_us"]*1e6), ","), r["p50_us"]/1000, r["p99_us"]/1000, e))' "$1" "$6"
}
echo "/api/v1/vms" > "$work/post"
measure() { # LABEL
  run "GET /vms/{id}" GET "$work/paths" "" 200 "$1"
  run "POST /vms" POST "$work/post" '{"name":"bench-{n}","size":"s-1vcpu-512mb","image":"tiny"}' 202 "$1"
}

echo "wrk -t2 -c$connections, ${duration} s per row, after a ${duration} s warm-up; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| request | open streams | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
run "warm-up" GET "$work/paths" "" 200 "-" > /dev/null
run "warm-up" POST "$work/post" '{"name":"warm-{n}","size":"s-1vcpu-512mb","image":"tiny"}' 202 "-" > /dev/null
measure 0
[ "$streams" -gt 0 ] || exit 0

# The streams: one small asyncio program holds them all and counts what they receive.
python3 - "$port" "$streams" "$work/streams" <<'EOF' &
import asyncio, base64, sys
port, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
opened, received = 0, 0
async def one(i):
    global opened, received
    auth = base64.b64encode(f"bench{i % 10}:bench-pw-{i % 10}".encode()).decode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nAccept: text/event-stream\r\n\r\n".encode())
    status = await reader.readline()
    if b" 200 " not in status:
        print("stream refused:", status, file=sys.stderr); return
    opened += 1
    while chunk := await reader.read(65536):
        received += chunk.count(b"\nid: ") + chunk.startswith(b"id: ")
async def main():
    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    while True:
        await asyncio.sleep(0.5)
        with open(out, "w") as f: f.write(f"{opened} {received}\n")
asyncio.run(main())
EOF
holder=$!
trap 'kill $holder 2>/dev/null || true; stop_server' EXIT
for _ in $(seq 1 120); do
  [ -s "$work/streams" ] && [ "$(cut -d' ' -f1 "$work/streams")" -ge "$streams" ] && break
  sleep 0.5
done
read -r opened _ < "$work/streams"
measure "$opened"
sleep 1
read -r opened received < "$work/streams"
echo
echo "$opened streams open; they received $received events (the POST run's creates, on the 1/10 of the streams that belong to the account)."
echo "server RSS: $(($(grep VmRSS /proc/$server_pid/status | awk '{print $2}') / 1024)) MiB"
