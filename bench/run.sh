#!/usr/bin/env bash
# The CloudsFor benchmark, one command: ./bench/run.sh [--duration S] [--connections 1,16,64] [--vms N] [--sizes 1000,10000,100000|none]
# Builds the server, the ceiling and the runner in Release, then measures (see bench/README.md) and writes
# bench/results/latest.md. Takes about 10 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

# Load generators from Debian's packages, installed only when missing.
needed=(wrk hey)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for project in src/CloudsFor bench/Ceiling bench/Runner; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly
done
exec dotnet bench/Runner/bin/Release/net10.0/bench-runner.dll "$@"
