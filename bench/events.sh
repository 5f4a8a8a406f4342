#!/usr/bin/env bash
# Do open event streams slow the API? GET /vms/{id} and POST /vms, measured with wrk without streams, then with
# STREAMS open SSE streams (GET /events) of 10 other accounts (idle: the hub still reads every new event once), then
# with 100 more streams of the measured account itself, which every create is written to (4 events a VM). Plain HTTP on
# loopback, rate limits off, simulated driver at 0 ms. The streams are held by one Python program on the same cores.
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
for i in $(seq 0 10); do
  curl -sf -u "$admin" -H 'Content-Type: application/json' "$origin/api/v1/users" \
    -d "{\"username\":\"bench$i\",\"password\":\"bench-pw-$i\",\"email\":\"b$i@bench.test\",\"vm_limit\":1000000}" > /dev/null
done
auth="Basic $(printf 'bench0:bench-pw-0' | base64)"
for b in $(seq 0 9); do
  curl -sf -u bench0:bench-pw-0 -H 'Content-Type: application/json' "$origin/api/v1/vms" \
    -d "{\"names\":[$(seq -s, -f "\"seed-$b-%g\"" 0 9)],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}" > /dev/null
done
curl -sf -u bench0:bench-pw-0 "$origin/api/v1/vms?per_page=200" | python3 -c 'import json,sys; [print("/api/v1/vms/" + v["id"]) for v in json.load(sys.stdin)["vms"]]' > "$work/paths"

cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; } # the server's CPU time so far, in clock ticks
run() { # NAME METHOD PATHS BODY EXPECTED LABEL
  local before result
  before=$(cpu)
  result=$(CF_METHOD=$2 CF_PATHS=$3 CF_THREADS=2 CF_AUTH="$auth" CF_BODY=$4 CF_EXPECTED=$5 \
    wrk -t2 -c"$connections" -d"${duration}s" -s bench/wrk/api.lua "$origin" 2>&1 | grep CF_RESULT | sed 's/CF_RESULT //')
  # CPU per request is steadier than requests/s on a machine shared with other work.
  echo "$result" | python3 -c 'import json,sys; r=json.load(sys.stdin); e=sum(r[k] for k in ("unexpected","connect","read","write","timeout")); print("| %s | %s | %s | %.2f | %.2f | %.0f | %d |" % (sys.argv[1], sys.argv[2], format(round(r["requests"]/r["duration_us"]*1e6), ","), r["p50_us"]/1000, r["p99_us"]/1000, (int(sys.argv[4]) - int(sys.argv[3])) * 1e6 / int(sys.argv[5]) / max(1, r["requests"]), e))' \
    "$1" "$6" "$before" "$(cpu)" "$(getconf CLK_TCK)"
}
echo "/api/v1/vms" > "$work/post"
measure() { # LABEL
  run "GET /vms/{id}" GET "$work/paths" "" 200 "$1"
  run "POST /vms" POST "$work/post" '{"name":"bench-{n}","size":"s-1vcpu-512mb","image":"tiny"}' 202 "$1"
}

echo "wrk -t2 -c$connections, ${duration} s per row, after a ${duration} s warm-up; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| request | open streams | req/s | p50 ms | p99 ms | server CPU µs/req | errors |"
echo "|---|---|---|---|---|---|---|"
run "warm-up" GET "$work/paths" "" 200 "-" > /dev/null
run "warm-up" POST "$work/post" '{"name":"warm-{n}","size":"s-1vcpu-512mb","image":"tiny"}' 202 "-" > /dev/null
measure 0
[ "$streams" -gt 0 ] || exit 0

# The streams: one small asyncio program holds them all and counts what they receive.
# hold COUNT OUT ACCOUNTS...: streams spread over the accounts; writes "opened received" to OUT every half second.
hold() {
python3 - "$port" "$@" <<'EOF' &
import asyncio, base64, sys
port, count, out, accounts = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
opened, received = 0, 0
async def one(i):
    global opened, received
    a = accounts[i % len(accounts)]
    auth = base64.b64encode(f"bench{a}:bench-pw-{a}".encode()).decode()
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
holders="$holders $!"
}
wait_open() { # OUT COUNT
  for _ in $(seq 1 120); do
    [ -s "$1" ] && [ "$(cut -d' ' -f1 "$1")" -ge "$2" ] && return 0
    sleep 0.5
  done
}
holders=""
trap 'kill $holders 2>/dev/null || true; stop_server' EXIT
hold "$streams" "$work/idle" 1 2 3 4 5 6 7 8 9 10
wait_open "$work/idle" "$streams"
read -r idle _ < "$work/idle"
measure "$idle (other accounts)"
hold 100 "$work/own" 0
wait_open "$work/own" 100
read -r own _ < "$work/own"
run "POST /vms" POST "$work/post" '{"name":"bench-{n}","size":"s-1vcpu-512mb","image":"tiny"}' 202 "$idle + $own of its own"
sleep 1
read -r idle idle_received < "$work/idle"
read -r own own_received < "$work/own"
echo
echo "Open at the end: $idle streams of other accounts (received $idle_received events), $own of the measured account (received $own_received)."
echo "server RSS: $(($(grep VmRSS /proc/$server_pid/status | awk '{print $2}') / 1024)) MiB"
