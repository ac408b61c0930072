#!/usr/bin/env bash
# Sets up (idempotently), builds and serves the dynaplay playground on http://127.0.0.1:8080.
#   scripts/play.sh               build (release, wasm-opt -Oz) and serve dist/ with Trunk
#   scripts/play.sh --build-only  just build dist/
# The DynamoDB-compatible HTTP endpoint is scripts/server.sh (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-web.sh
export PATH="$PWD/web/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
if [ "${1:-}" = "--build-only" ]; then
  exit 0
fi
echo
echo "dynaplay playground: http://127.0.0.1:8080"
echo
exec trunk serve --release --address 127.0.0.1 --port 8080 --no-autoreload
