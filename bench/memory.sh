#!/usr/bin/env bash
# Memory, main-thread time and IndexedDB writes of the playground under its heaviest workload
# with a stream and a trigger, at 60× (issue 12, item 5): builds the release bundle, then runs
# web/e2e/memory.mjs in headless Chromium. Local only, not in CI: it runs for up to an hour of
# engine time or MEMORY_MAX_WALL_SECONDS (default 600) of wall time. The MEMORY_* variables
# documented at the top of web/e2e/memory.mjs change the load, the length and the sampling.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/play.sh --build-only
scripts/setup-browser.sh
node web/e2e/memory.mjs dist
