#!/usr/bin/env bash
# What a wrong password costs: ./bench/password-timing.sh [--requests N]
# Starts a Release server (plain HTTP on loopback, a temporary data folder, no request rate limits), creates N
# users, then sends, by turns, N wrong passwords for users that exist and N passwords for usernames that do not.
# Prints the median and p90 of each kind and their ratio. Near 1 means an unknown username costs the same slow
# hash as a known one (checked against a decoy), so the time of a 401 does not tell which usernames exist;
# without the decoy an unknown username would cost under a hundredth of a real check.
#
# Failed sign-ins are limited per username and per address (slower answers, then 429). So that every request
# measures one hash and never a penalty, each uses a username of its own and a source address of its own
# (127.0.0.2, 127.0.0.3, ...: the whole of 127/8 reaches the server over loopback), and must be answered 401.
set -euo pipefail
cd "$(dirname "$0")/.."

requests=40
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="$2"; shift 2 ;;
    *) echo "usage: $0 [--requests N]" >&2; exit 2 ;;
  esac
done

tools/install-missing.sh curl python3

. bench/server.sh
port=$(free_port)
start_server --listen "127.0.0.1:$port" --dns-listen off

api="http://127.0.0.1:$port/api/v1"
for i in $(seq 1 "$requests"); do
  curl -sf -u "admin:$password" -H "Content-Type: application/json" -X POST "$api/users" \
    -d '{"username": "bench'$i'", "password": "right-password-'$i'", "email": "bench'$i'@example.test"}' > /dev/null
done

# One wrong sign-in from source address number $2; prints its seconds, or fails unless the answer is a 401.
attempt() {
  local n=$2 out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --interface "127.0.$((n / 250)).$((n % 250 + 2))" \
    -u "$1:wrong-password" "$api/account")
  [ "${out%% *}" = 401 ] || { echo "expected a 401 for $1, got: $out" >&2; exit 1; }
  echo "${out#* }"
}

# Both paths once each before measuring, so neither pays for the JIT.
attempt warm-known-0 $((2 * requests + 1)) > /dev/null
attempt warm-unknown-0 $((2 * requests + 2)) > /dev/null
: > "$work/known"
: > "$work/unknown"
for i in $(seq 1 "$requests"); do
  attempt "bench$i" $((2 * i - 1)) >> "$work/known"
  attempt "nobody$i" $((2 * i)) >> "$work/unknown"
done

# The q-quantile of a file of seconds, in ms.
quantile() { sort -g "$1" | awk -v q="$2" '{ v[NR] = $1 } END { i = int(NR * q); if (i < 1) i = 1; printf "%.1f", v[i] * 1000 }'; }
known=$(quantile "$work/known" 0.5)
unknown=$(quantile "$work/unknown" 0.5)
echo "wrong password, $requests requests each ($(nproc) cores, client on the same machine):"
echo "  user that exists:         median $known ms, p90 $(quantile "$work/known" 0.9) ms"
echo "  user that does not exist: median $unknown ms, p90 $(quantile "$work/unknown" 0.9) ms"
echo "  ratio of the medians (exists / does not): $(awk -v a="$known" -v b="$unknown" 'BEGIN { printf "%.2f", a / b }')"
