#!/usr/bin/env bash
# The browser benchmark: bundle size (gzip -9), time to first render, in-page PutItem/GetItem
# through window.dynaplay.send, durable PutItem/s with concurrent requests, reload time with
# 50,000 items, a Web Worker round trip (why the engine runs on the main thread), and the memory
# per stored 200-byte item with 200,000 items in the page (web/e2e/item_memory.mjs).
# Builds the release bundle first (scripts/play.sh --build-only installs what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/play.sh --build-only
scripts/setup-browser.sh
echo
echo "bundle (gzip -9):"
scripts/bundle-size.sh
node web/e2e/bench.mjs dist
node web/e2e/item_memory.mjs dist
