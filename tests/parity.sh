#!/usr/bin/env bash
# Runs the Parity Suite subset (paritysuite/dynamodb-conformance v3 test files on the nubo-db
# harness; see README.md, "The Parity Suite subset") against a fresh dynaplay-server.
#   tests/parity.sh WORKDIR [TEST_FILE_OR_FILTER...]
# WORKDIR is the working dir built as the README says; it holds the runner (run.sh) beside the
# test files. With no filter every file runs (about 6 minutes); the last line is
#   parity-subset: P passed, F failed, S skipped of N
# The files are fetched by hand and never committed, so CI cannot run this.
set -euo pipefail
work=${1:?usage: tests/parity.sh WORKDIR [TEST_FILE_OR_FILTER...]}
shift
work=$(cd "$work" && pwd)
[ -x "$work/run.sh" ] || { echo "no runner at $work/run.sh: build the working dir as README.md says" >&2; exit 2; }
source "$(dirname "$0")/lib/fresh-server.sh"

"$work/run.sh" "$work" "$addr" "$@"
