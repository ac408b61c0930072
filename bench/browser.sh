#!/usr/bin/env bash
# The browser benchmark: bundle size (gzip -9), time to first render, in-page PutItem/GetItem
# through window.dynaplay.send, durable PutItem/s with concurrent requests, reload time with
# 50,000 items, and a Web Worker round trip (why the engine runs on the main thread).
# Builds the release bundle first (scripts/play.sh --build-only installs what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/play.sh --build-only
scripts/setup-browser.sh
echo
echo "bundle (gzip -9):"
total=0
for f in dist/*.wasm dist/*.js dist/*.css dist/snippets/*/*/*.js; do
  [ -f "$f" ] || continue
  n=$(gzip -9c "$f" | wc -c)
  total=$((total + n))
  printf '  %-60s %7d bytes\n' "${f#dist/}" "$n"
done
printf '  %-60s %7d bytes (%d KB)\n' "total" "$total" "$((total / 1024))"
node web/e2e/bench.mjs dist
