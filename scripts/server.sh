#!/usr/bin/env bash
# Builds dynaplay-server (optimised for speed) and runs it in the foreground; it prints
# "dynaplay-server listening on http://HOST:PORT". Ctrl-C stops it cleanly.
# Extra arguments go to the server, e.g. `scripts/play.sh --port 0` or `--host 0.0.0.0`.
# (scripts/play.sh builds and serves the browser playground instead.)
set -euo pipefail
cd "$(dirname "$0")/.."
# release-native: opt-level 3 and unwinding; the plain release profile is tuned for wasm size.
cargo build --profile release-native -p dynaplay-server
exec target/release-native/dynaplay-server "$@"
