#!/usr/bin/env bash
# Runs every test of CloudsFor, installing what the tests need first, and ends with one line
# "N passed, N failed" (the figure CI reads).
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use; installed only when missing, so a prepared machine is not slowed.
needed=(curl)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

log=$(mktemp)
dotnet test CloudsFor.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
rm -f "$log"
if [ "${passed:-0}" = 0 ] && [ "$status" = 0 ]; then status=1; fi
if [ "$status" != 0 ] && [ "${failed:-0}" = 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
