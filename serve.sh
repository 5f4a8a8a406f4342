#!/usr/bin/env bash
# Builds and starts CloudsFor: HTTPS on 127.0.0.1:8443, store and certificates under ./data.
# Every argument goes to `cloudsfor serve` (see README.md, or ./serve.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project src/CloudsFor -c Release -- serve "$@"
