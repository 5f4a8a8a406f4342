# Sourced by the benchmark scripts: a Release server of their own on loopback, plain HTTP, rate limits off, with its
# data in a temporary folder that goes when the script exits. After `start_server ARGS…`: $work, $password, $server_pid.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_server() {
  dotnet build src/CloudsFor -c Release --nologo -v quiet -clp:ErrorsOnly
  work=$(mktemp -d)
  password="bench-$RANDOM$RANDOM"
  server_pid=""
  trap stop_server EXIT
  CLOUDSFOR_ADMIN_PASSWORD="$password" dotnet src/CloudsFor/bin/Release/net10.0/cloudsfor.dll serve \
    --data "$work/data" --http --rate-per-minute 0 --rate-per-hour 0 "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    grep -q "cloudsfor: listening on" "$work/server.log" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.2
  done
  echo "the server did not start within 30 s:" >&2
  cat "$work/server.log" >&2
  exit 1
}

stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
