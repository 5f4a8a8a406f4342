#!/usr/bin/env bash
# Real VM boots with the qemu driver, side by side with plain QEMU running the same command line without CloudsFor:
# seconds to status "active" (from the event stream) and to the tiny image's "cloudsfor: ready" console line (read
# through the API by one light poller), one VM at a time (median of N) and 4 at once, and the ratios to plain QEMU.
# Usage: bench/qemu-boot.sh [N]   (default 5)
# Prints a Markdown table and writes it to bench/results/qemu-boot.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
for tool in qemu-system-x86_64 qemu-img dropbear genisoimage; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "qemu-boot.sh: $tool is missing; ./test.sh installs the packages" >&2; exit 1; }
done
dotnet build src/CloudsFor -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/BootTiming -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet bench/BootTiming/bin/Release/net10.0/boot-timing.dll src/CloudsFor/bin/Release/net10.0/cloudsfor.dll "$runs" bench/results/qemu-boot.md
