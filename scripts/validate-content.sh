#!/usr/bin/env bash
# Validates the teaching content under static/ (labs, questions): every file parses
# against its documented schema, unknown members refused, and every lab is walked on the
# engine — setup runs clean, each step's check refuses before the step and refuses each
# declared wrong action with its "missing" sentence, and passes after the step's "show me";
# every question's "prove it" experiment yields exactly its answer key.
# One line per file, then "content: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet -p dynaplay-teach --bin validate-content -- static "$@"
