# Sourced by the suite runners (tests/conformance.sh, tests/parity.sh): builds dynaplay-server,
# starts a fresh one on a free port, stops it when the script exits, and sets $addr.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
(cd "$root" && cargo build --profile release-native -p dynaplay-server >&2)
log=$(mktemp)
"$root/target/release-native/dynaplay-server" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
addr=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
echo "dynaplay-server at $addr" >&2
