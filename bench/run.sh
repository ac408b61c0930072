#!/usr/bin/env bash
# The one benchmark: every figure from the same run, printed as one table (bench/out/bench.md)
# with its JSON beside it (bench/out/bench.json).
#
#   bench/run.sh                 # everything, about 20 minutes on 2 cores
#   bench/run.sh --no-browser    # without bench/browser.sh (its release build is slow)
#   bench/run.sh --no-memory     # without storing 1,000,000 items in each server
#   DURATION=10 SERVERS=dynaplay,nginx,hyper bench/run.sh --no-browser --no-engine
#
# dynaplay-server beside Dynoxide, dynalite and moto's server, and the loopback ceiling
# (nginx with one worker and a minimal hyper server, both answering a fixed 200-byte body):
# start to first response, idle and after-load RSS, GetItem/PutItem/Query requests/s at 1 and
# 8 connections (wrk) with each as a share of nginx's, server CPU µs per request (/proc), and
# memory per stored 200-byte item; then the engine's native ops/s (cargo bench, throttling on
# and off) and the browser's figures (bench/browser.sh). bench/run.mjs says how.
set -euo pipefail
cd "$(dirname "$0")/.."

bench/install.sh
echo "==> building dynaplay-server and the fixed-reply server (profile release-native)" >&2
cargo build -q --profile release-native -p dynaplay-server --bin dynaplay-server --example fixed_reply >&2
if [[ " $* " != *" --no-engine "* ]]; then
  cargo bench -q -p dynaplay-engine --bench entry_point --no-run >&2
fi
node bench/run.mjs "$@"
