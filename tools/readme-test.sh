#!/usr/bin/env bash
# The README's simulated walkthrough, run as a new user pastes it: the ```sh blocks that follow a line
# `<!-- readme-test: simulated -->`, in order, in one clean shell (no profile, no ~/.curlrc, no CLOUDSFOR_*
# variables), against a fresh server started with the README's own start command (the block marked
# `<!-- readme-test: start -->`). The server gets a free port and a data folder of its own, never 8443 or
# ./data, which a developer's server may be using: the blocks' 127.0.0.1:8443 is replaced by that port, and
# they run in a folder whose data/ is the server's, as the README's "in this folder" says.
#
# Each block counts as one test. A block fails on the first command that fails: every curl in them must carry
# --fail-with-body (checked here), so any error status fails it, unless its line announces the status in a
# trailing comment that begins with it (`cf "$CF/vms/$VM_ID"   # 404 {...}`), which then must be exactly that.
# The QEMU blocks are not marked: they need the qemu driver and real VMs (tests/CloudsFor.QemuTests has those).
#
# Ends with a summary in dotnet's format ("Failed: N, Passed: N"), which test.sh adds to its sum.
# Usage: tools/readme-test.sh [MARKDOWN-FILE]   (README.md by default; another file to try a change out)
set -uo pipefail
readme=$(realpath "${1:-$(dirname "$0")/../README.md}")
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudsfor-readme-test.XXXXXX")
server_pid=
cleanup() {
  # The server runs in a process group of its own (setsid): serve.sh, and the dotnet it starts.
  [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null
  [ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

summary() { # failed passed skipped
  local word=Passed; [ "$1" = 0 ] || word=Failed
  echo "$word!  - Failed: $1, Passed: $2, Skipped: $3, Total: $(($1 + $2 + $3)) - README.md (tools/readme-test.sh)"
}
fail() { echo "readme-test: $*" >&2; summary 1 0 0; exit 1; }

# The marked blocks, one file each: start.sh, then 1.sh, 2.sh, … in the README's order.
awk -v dir="$work" '
  /^<!-- readme-test: [a-z]+ -->$/ { kind = $3; next }
  kind != "" && /^```sh$/          { n += (kind == "simulated"); file = dir "/" (kind == "start" ? "start" : n) ".sh"; kind = ""; next }
  file != "" && /^```$/            { file = ""; next }
  file != ""                       { print > file }
  /./                              { kind = "" }
' "$readme"
blocks=$(find "$work" -name '[0-9]*.sh' | wc -l)
[ -s "$work/start.sh" ] || fail "$readme has no block marked <!-- readme-test: start -->"
[ "$blocks" -gt 0 ] || fail "$readme has no block marked <!-- readme-test: simulated -->"
[ "$(grep -c . "$work/start.sh")" = 1 ] || fail "the start block should be one command line"

# Any curl without --fail-with-body could meet an error status and go on as if all were well.
for f in "$work"/[0-9]*.sh; do
  bad=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$f" | grep -E '(^|[^a-z])curl ' | grep -v -e '--fail-with-body')
  [ -z "$bad" ] || fail "a README curl without --fail-with-body: $bad"
done

# A free port (nothing answers on it); if someone takes it before the server binds it, the start is tried again.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
clean_env=(env -i "HOME=$work/home" "PATH=$PATH" "LANG=C.UTF-8")
for var in DOTNET_ROOT DOTNET_CLI_HOME NUGET_PACKAGES; do
  [ -n "${!var:-}" ] && clean_env+=("$var=${!var}")
done
mkdir -p "$work/home" "$work/walk"
# "This folder" is the checkout: the walk folder is a copy of its sources (the command line is packed from
# src/; MSBuild would mix up a symlinked tree with the original's build output), with the test server's data/.
tar -C "$repo" --exclude=./.git --exclude=./data --exclude=./artifacts --exclude=bin --exclude=obj --exclude=node_modules \
  -cf - . | tar -C "$work/walk" -xf -
for attempt in 1 2 3; do
  port=$(free_port)
  rm -rf "$work/walk/data"
  setsid "${clean_env[@]}" bash --noprofile --norc -c \
    "cd '$repo' && $(cat "$work/start.sh") --data '$work/walk/data' --listen 127.0.0.1:$port --dns-listen off" \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  # serve.sh builds first, which on a busy machine takes minutes.
  for _ in $(seq 1 600); do
    grep -q 'cloudsfor: listening on' "$work/server.log" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  grep -q 'cloudsfor: listening on' "$work/server.log" && break
  kill -- "-$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
  grep -q 'address already in use' "$work/server.log" || { cat "$work/server.log"; fail "the README's start command did not start the server"; }
done
[ -n "$server_pid" ] || fail "no free port after three tries"

# The walkthrough: one script, blocks in order, each followed by a note of its success.
{
  echo 'set -eo pipefail'
  echo 'trap '\''echo "readme-test: this failed: $BASH_COMMAND" >&2'\'' ERR'
  # An announced error: the command must fail with exactly that status (curl: "returned error: 404").
  echo 'readme_expect() {
  local status=$1 cmd out
  cmd=$(cat)
  if out=$(eval "$cmd" 2>&1); then printf "%s\n" "$out"; echo "readme-test: expected $status, but it succeeded" >&2; return 1; fi
  printf "%s\n" "$out"
  grep -q "returned error: $status\$" <<<"$out" || { echo "readme-test: expected the status $status" >&2; return 1; }
}'
  for i in $(seq 1 "$blocks"); do
    echo "echo '---- README block $i ----'"
    # Continued lines joined first, so a trailing comment belongs to its whole command.
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$work/$i.sh" |
      sed -E "s/127\.0\.0\.1:8443/127.0.0.1:$port/g" |
      awk '{
        if (match($0, / +# [45][0-9][0-9]( |$)/)) {
          status = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", status)
          print "readme_expect " status " <<'\''README_COMMAND'\''"; print substr($0, 1, RSTART - 1); print "README_COMMAND"
        } else print
      }'
    echo "echo $i > '$work/passed'"
    # The README promises that cf works from any folder once defined: the blocks after it run elsewhere.
    grep -q '^cf() ' "$work/$i.sh" && echo "cd '$work/home'"
  done
} >"$work/walkthrough.sh"
grep -q "cd '$work/home'" "$work/walkthrough.sh" || fail "no block defines cf(), the function the README's curl examples use"
grep -q "127.0.0.1:$port" "$work/walkthrough.sh" || fail "the walkthrough never names 127.0.0.1:8443, so it cannot be pointed at the test server"
grep -q '8443' "$work/walkthrough.sh" && fail "the walkthrough names port 8443 in a way this test cannot redirect"

echo "readme-test: $blocks blocks against a fresh server on 127.0.0.1:$port"
(cd "$work/walk" && "${clean_env[@]}" bash --noprofile --norc "$work/walkthrough.sh")
code=$?
passed=$(cat "$work/passed" 2>/dev/null || echo 0)
if [ "$code" = 0 ] && [ "$passed" = "$blocks" ]; then
  summary 0 "$passed" 0
  exit 0
fi
echo "readme-test: README block $((passed + 1)) failed; the server said:" >&2
tail -n 20 "$work/server.log" >&2
summary 1 "$passed" $((blocks - passed - 1))
exit 1
