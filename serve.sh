#!/usr/bin/env bash
# Builds and starts CloudsFor: HTTPS on 127.0.0.1:8443, store and certificates under ./data.
# Every argument goes to `cloudsfor serve`: ./serve.sh --help lists them all, with their environment variables
# (docs/operator-guide.md explains them). A lost admin password is reset with the built program:
#   dotnet src/CloudsFor/bin/Release/net10.0/cloudsfor.dll admin reset-password --help
set -euo pipefail
cd "$(dirname "$0")"
dotnet build src/CloudsFor -c Release --nologo -v quiet -clp:ErrorsOnly
# Started from here, not with `dotnet run`, which runs the program in the project's folder: ./data is this folder's.
exec dotnet src/CloudsFor/bin/Release/net10.0/cloudsfor.dll serve "$@"
