#!/usr/bin/env bash
# Runs every test of CloudsFor, installing what the tests need first, and ends with one line
# "N passed, N failed" (the figure CI reads).
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use (chromium: the panel's browser tests; syslinux, mtools, dosfstools: the bootable custom image a QEMU test makes;
# postgresql: the second store the suite runs on; strace: the failing-disk test makes fsync fail); installed only when missing, so a prepared machine is not slowed.
tools/install-missing.sh curl jq qemu-system-x86 qemu-utils busybox-static genisoimage e2fsprogs xfsprogs cpio dropbear-bin lz4 openssh-client dnsutils bind9-utils chromium \
  syslinux mtools dosfstools postgresql strace
# The tiny VM image is built from the Debian cloud kernel package, so apt must know it.
apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || apt-get update -qq

log=$(mktemp)
outputs=$(mktemp -d)
postgres=$(mktemp -d)
cleanup() {
  tools/postgres-for-tests.sh stop "$postgres" >/dev/null 2>&1
  rm -rf "$log" "$outputs" "$postgres"
}
trap cleanup EXIT
status=0
dotnet build CloudsFor.slnx -c Release 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1
# One throwaway PostgreSQL cluster; every server of the PostgreSQL run gets a database of its own on it.
postgres_url=$(tools/postgres-for-tests.sh start "$postgres") || { echo "test.sh: PostgreSQL did not start" | tee -a "$log"; status=1; }

# The fast suite once per store; on PostgreSQL without the tests of SQLite itself (trait Store=sqlite: its files, its
# in-process store, the command that edits its file), on SQLite without those of several servers on one PostgreSQL
# database (trait Store=postgres). The headers tell the two runs apart in the log.
sqlite_tests() {
  echo "---- CloudsFor.Tests on SQLite ----"
  dotnet test tests/CloudsFor.Tests -c Release --no-build --filter "Store!=postgres"
}
postgres_tests() {
  echo "---- CloudsFor.Tests on PostgreSQL ----"
  CLOUDSFOR_TEST_POSTGRES=$postgres_url dotnet test tests/CloudsFor.Tests -c Release --no-build --filter "Store!=sqlite"
}
# Steps one after the other; within a step, commands run side by side. The client, command line and README tests each
# drive their own light server, which leaves room for the suite's PostgreSQL run beside them. The panel's browser tests
# and the QEMU tests each keep about 40 % of the two cores busy (the rest is waiting on a browser or a booting guest),
# so together they take 6 minutes where one after the other took 8; the suite on SQLite fills both cores and stays
# alone (beside those two it made the step slower, not faster). The README test runs the README's walkthrough as
# pasted and prints its own dotnet-style summary line, counted below.
steps=("sqlite_tests"
  "postgres_tests|dotnet test tests/CloudsFor.Client.Tests -c Release --no-build|dotnet test tests/CloudsFor.Cli.Tests -c Release --no-build|tools/readme-test.sh"
  "dotnet test tests/CloudsFor.Panel.Tests -c Release --no-build|dotnet test tests/CloudsFor.QemuTests -c Release --no-build")
for step in "${steps[@]}"; do
  [ "$status" = 0 ] || break
  IFS='|' read -ra commands <<<"$step"
  if [ "${#commands[@]}" = 1 ]; then
    $step 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
    continue
  fi
  pids=()
  for i in "${!commands[@]}"; do
    ( ${commands[$i]} >"$outputs/$i" 2>&1; echo $? >"$outputs/$i.rc" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in "${!commands[@]}"; do
    tee -a "$log" <"$outputs/$i"
    [ "$(cat "$outputs/$i.rc")" = 0 ] || status=1
  done
done

# dotnet prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
if [ "${passed:-0}" = 0 ] && [ "$status" = 0 ]; then status=1; fi
if [ "$status" != 0 ] && [ "${failed:-0}" = 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
