#!/usr/bin/env bash
# Measures real VM boots with the qemu driver: seconds from POST /vms to status "active" and to the
# tiny image's "cloudsfor: ready" console line, for single VMs one after another (median of N) and
# for 4 VMs created at once. Usage: bench/qemu-boot.sh [N]   (default 5)
# Prints a Markdown table and writes it to bench/results/qemu-boot.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
for tool in curl python3 qemu-system-x86_64 dropbear genisoimage; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "qemu-boot.sh: $tool is missing; ./test.sh installs the packages" >&2; exit 1; }
done

data=$(mktemp -d /tmp/cloudsfor-boot.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=bench-$RANDOM$RANDOM
dotnet build -c Release src/CloudsFor -v q -nologo >/dev/null
CLOUDSFOR_ADMIN_PASSWORD=$password dotnet src/CloudsFor/bin/Release/net10.0/cloudsfor.dll serve --data "$data" \
  --listen 127.0.0.1:$port --dns-listen off --driver qemu --rate-per-minute 0 --rate-per-hour 0 > "$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill -9 $server 2>/dev/null || true
  pkill -f -- "$data" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q "cloudsfor: listening" "$data/server.log" && break; sleep 0.2; done

api() { curl -sf --cacert "$data/tls/ca.pem" -u "admin:$password" -H 'Content-Type: application/json' "https://127.0.0.1:$port/api/v1$1" "${@:2}"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
now() { date +%s.%N; }

# Times one VM already created at $2 (epoch seconds): prints "to_active to_ready". "active" means its
# machine runs (the QEMU process started); "ready" means the guest finished booting.
follow() {
  local id=$1 start=$2 active="" ready=""
  for _ in $(seq 1 1200); do
    if [ -z "$active" ] && [ "$(api "/vms/$id" | field 'd["vm"]["status"]')" = active ]; then active=$(now); fi
    if [ -n "$active" ] && api "/vms/$id/console?lines=50" | field 'd["console"]["output"]' 2>/dev/null | grep -q "cloudsfor: ready"; then ready=$(now); break; fi
    sleep 0.1
  done
  python3 -c "print(f'{$active - $start:.2f} {$ready - $start:.2f}')"
}

create() { api /vms -X POST -d "{\"name\": \"$1\", \"size\": \"s-1vcpu-512mb\", \"image\": \"tiny\"}" | field 'd["vm"]["id"]'; }

# The first boot builds the tiny image and decides KVM or TCG: not measured.
warm=$(create warmup); follow "$warm" "$(now)" >/dev/null; api "/vms/$warm" -X DELETE

single=()
for i in $(seq 1 "$runs"); do
  start=$(now); id=$(create "single-$i"); single+=("$(follow "$id" "$start")"); api "/vms/$id" -X DELETE
done
start=$(now); ids=(); for i in 1 2 3 4; do ids+=("$(create "parallel-$i")"); done
followers=(); for id in "${ids[@]}"; do follow "$id" "$start" > "$data/follow-$id" & followers+=($!); done
wait "${followers[@]}"
parallel=(); for id in "${ids[@]}"; do parallel+=("$(cat "$data/follow-$id")"); done

accel=$(grep -o 'accelerator [a-z]*' "$data/server.log" | head -1 | cut -d' ' -f2)
mkdir -p bench/results
python3 - "$runs" "$accel" "${single[@]}" -- "${parallel[@]}" <<'PY' | tee bench/results/qemu-boot.md
import statistics, sys
runs, accel, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
cut = rest.index("--")
single = [tuple(map(float, r.split())) for r in rest[:cut]]
parallel = [tuple(map(float, r.split())) for r in rest[cut + 1:]]
med = lambda xs: statistics.median(xs)
print(f"QEMU boots of the tiny image (accelerator: {accel or 'unknown'}), seconds from POST /vms")
print()
print("| scenario | to active (median) | to `cloudsfor: ready` (median) | slowest to ready |")
print("|---|---|---|---|")
print(f"| 1 VM at a time, {runs} runs | {med([a for a, _ in single]):.2f} | {med([r for _, r in single]):.2f} | {max(r for _, r in single):.2f} |")
print(f"| 4 VMs created at once | {med([a for a, _ in parallel]):.2f} | {med([r for _, r in parallel]):.2f} | {max(r for _, r in parallel):.2f} |")
PY
