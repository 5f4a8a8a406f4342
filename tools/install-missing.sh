#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet; does nothing (not even
# `apt-get update`) when all are, so a prepared machine is not slowed. Used by test.sh and bench/.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
