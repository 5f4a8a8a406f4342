#!/usr/bin/env bash
# The CloudsFor benchmark, one command: ./bench/run.sh [--duration S] [--connections 1,16,64] [--vms N] [--sizes 1000,10000,100000|none]
#   [--h2-streams N] [--database sqlite|postgres] [--servers 1|2] [--sqlite-synchronous normal|full] [--compare-stores]
# Builds the server, the ceiling and the runner in Release, then measures (see bench/README.md) and writes
# bench/results/latest.md (bench/results/stores.md with --compare-stores). Takes about 18 minutes with the defaults (12 with --h2-streams 0).
set -euo pipefail
cd "$(dirname "$0")/.."

# Load generators (h2load, from nghttp2-client, for HTTP/2), and PostgreSQL and HAProxy for the runs on PostgreSQL, from Debian's
# packages, installed only when missing.
packages=(wrk hey nghttp2-client)
case " $* " in
  *" postgres "* | *" --compare-stores "*) packages+=(postgresql haproxy) ;;
esac
tools/install-missing.sh "${packages[@]}"

for project in src/CloudsFor bench/Ceiling bench/Runner; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly
done
exec dotnet bench/Runner/bin/Release/net10.0/bench-runner.dll "$@"
