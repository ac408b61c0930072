#!/usr/bin/env bash
# Frame rate of the Capacity view while the workload generator simulates 5,000 requests per
# second (issue 5's aim: ≥ 55 fps, frame p95 ≤ 20 ms): builds the release bundle, then records
# requestAnimationFrame intervals for 10 s in headless Chromium (web/e2e/fps.mjs).
# BENCH_RATE, BENCH_FPS_SECONDS and BENCH_DISTRIBUTION (UNIFORM, HOT_KEY, …) change the load.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/play.sh --build-only
scripts/setup-browser.sh
node web/e2e/fps.mjs dist
