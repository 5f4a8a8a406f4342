#!/usr/bin/env bash
# DNS answers per second: ./bench/dns.sh [--duration S] [--clients N]
# Starts a Release server on loopback ports of its own (plain HTTP, a temporary data folder), creates a
# zone with the usual record types through the API, and runs dnsperf (Debian's, installed when missing)
# against its DNS server with a mix of positive, CNAME, wildcard, NODATA and NXDOMAIN queries.
# Prints dnsperf's summary and one line: "DNS: N queries/s (...)". Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
clients=4
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--clients N]" >&2; exit 2 ;;
  esac
done

tools/install-missing.sh dnsperf dnsutils curl

. bench/server.sh
api_port=$(free_port)
dns_port=$(free_port)
start_server --listen "127.0.0.1:$api_port" --dns-listen "127.0.0.1:$dns_port"

api="http://127.0.0.1:$api_port/api/v1"
post() { curl -sf -u "admin:$password" -H "Content-Type: application/json" -X POST "$api$1" -d "$2" > /dev/null; }
zone=bench.example
post /domains '{"name": "'$zone'", "ip_address": "192.0.2.10"}'
post /domains/$zone/records '{"type": "AAAA", "name": "@", "data": "2001:db8::10"}'
post /domains/$zone/records '{"type": "CNAME", "name": "www", "data": "@"}'
post /domains/$zone/records '{"type": "A", "name": "mail", "data": "192.0.2.25"}'
post /domains/$zone/records '{"type": "MX", "name": "@", "data": "mail.'$zone'", "priority": 10}'
post /domains/$zone/records '{"type": "TXT", "name": "@", "data": "v=spf1 mx -all"}'
post /domains/$zone/records '{"type": "A", "name": "*.apps", "data": "192.0.2.99"}'
for i in $(seq 1 50); do
  post /domains/$zone/records '{"type": "A", "name": "host'$i'", "data": "192.0.2.'$((100 + i))'"}'
done

cat > "$work/queries" <<EOF
$zone A
www.$zone A
mail.$zone A
$zone MX
$zone TXT
$zone AAAA
host7.$zone A
host42.$zone A
shop.apps.$zone A
$zone SOA
missing.$zone A
$zone SRV
EOF

dig @127.0.0.1 -p "$dns_port" +norec +short "www.$zone" A | grep -q 192.0.2.10 || { echo "the DNS server does not answer" >&2; exit 1; }
echo "dnsperf: ${duration}s, $clients clients, 100 queries in flight, $(wc -l < "$work/queries") names ($(nproc) cores, client on the same machine)"
dnsperf -s 127.0.0.1 -p "$dns_port" -d "$work/queries" -l "$duration" -c "$clients" | tee "$work/dnsperf.out"
qps=$(awk '/Queries per second:/ { printf "%d", $4 }' "$work/dnsperf.out")
lost=$(awk '/Queries lost:/ { print $3 }' "$work/dnsperf.out")
latency=$(awk '/Average Latency/ { printf "%.2f ms", $4 * 1000 }' "$work/dnsperf.out")
echo "DNS: $qps queries/s (average latency $latency, $lost lost)"
