#!/usr/bin/env bash
# Benchmarks dynaplay-server against dynalite over keep-alive HTTP on loopback: the same
# requests (PutItem, GetItem, a Query returning 10 items) at both servers, driven by wrk
# with a few concurrent connections for a fixed time each. Prints requests/s side by side.
#
#   bench/http.sh                 # 5 s per operation and server, 4 connections
#   DURATION=10 CONNECTIONS=8 bench/http.sh
#
# Installs what it needs when missing: dynalite from npm into bench/node_modules, and wrk
# from Debian (apt-get, as root).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-1}
OPERATIONS=(PutItem GetItem Query)

echo "==> building dynaplay-server (profile release-native)" >&2
cargo build --profile release-native -p dynaplay-server >&2
DYNAPLAY_BIN="$REPO/target/release-native/dynaplay-server"

if [ "$(node -p 'try { require("./bench/node_modules/dynalite/package.json").version } catch { "" }')" != 4.0.0 ]; then
  echo "==> installing dynalite into bench/node_modules" >&2
  (cd bench && npm install --no-audit --no-fund >&2)
fi

if ! command -v wrk >/dev/null; then
  echo "==> installing wrk" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "wrk is missing: run 'apt-get install -y wrk' as root" >&2
    exit 1
  fi
  apt-get update -qq >&2 && apt-get install -y -qq wrk >&2
fi

WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts a server whose first stdout line holds its http:// address; sets URL.
# (Not run in a command substitution: the parent shell must know the pid to stop it.)
start() {
  local name=$1
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  pids+=($!)
  for _ in $(seq 200); do # bounded: 10 s
    URL=$(grep -o 'http://[0-9.:]*' "$WORK/$name.out" | head -n 1 || true)
    [ -n "$URL" ] && return 0
    sleep 0.05
  done
  echo "$name did not start:" >&2
  cat "$WORK/$name.err" >&2
  return 1
}

# Runs wrk for one operation; echoes requests/s. Fails if any response was not a 2xx.
measure() {
  local url=$1 op=$2 body=$3 seconds=$4 out
  out=$(BENCH_OP=$op BENCH_BODY=$body wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" \
    -s "$REPO/bench/wrk.lua" "$url/")
  if grep -q 'Non-2xx or 3xx responses' <<<"$out" || grep -q 'Socket errors' <<<"$out"; then
    echo "$op at $url had failed requests:" >&2
    echo "$out" >&2
    return 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

SERVERS=(dynaplay dynalite)
declare -A url rps
start dynaplay "$DYNAPLAY_BIN" --port 0
url[dynaplay]=$URL
start dynalite node "$REPO/bench/dynalite-server.js"
url[dynalite]=$URL
for server in "${SERVERS[@]}"; do
  echo "==> $server at ${url[$server]}" >&2
  node "$REPO/bench/setup.js" "${url[$server]}" >"$WORK/$server.bodies"
done

# The servers take turns per operation (an idle server costs nothing), so a change in the
# machine's load during the run hits both alike and the ratios stay fair.
for op in "${OPERATIONS[@]}"; do
  for server in "${SERVERS[@]}"; do
    body=$(awk -F '\t' -v op="$op" '$1 == op {print $2}' "$WORK/$server.bodies")
    measure "${url[$server]}" "$op" "$body" "$WARMUP" >/dev/null
    rps[$server.$op]=$(measure "${url[$server]}" "$op" "$body" "$DURATION")
    echo "    $op on $server: ${rps[$server.$op]} req/s" >&2
  done
done

echo
echo "keep-alive HTTP on loopback, wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per operation and server ($(nproc) cores, 1-min load average now $(cut -d" " -f1 /proc/loadavg))"
printf '%-10s %16s %16s %8s\n' operation 'dynaplay req/s' 'dynalite req/s' ratio
for op in "${OPERATIONS[@]}"; do
  printf '%-10s %16.0f %16.0f %7.1fx\n' "$op" "${rps[dynaplay.$op]}" "${rps[dynalite.$op]}" \
    "$(awk -v a="${rps[dynaplay.$op]}" -v b="${rps[dynalite.$op]}" 'BEGIN {print (b > 0 ? a / b : 0)}')"
done
