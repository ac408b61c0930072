#!/usr/bin/env bash
# Runs the engine's fuzz targets (fuzz/, cargo-fuzz + libFuzzer) for a while each, one after
# another on one core, starting from seeds generated from tests/golden and
# tests/expressions (fuzz/examples/seeds.rs). Fails when any target finds a crash (a panic, or
# an answer the targets' checks reject); the input is kept in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                 # every target, 30 s each (what CI runs)
#   scripts/fuzz.sh 600 workspace   # one target, ten minutes
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 0 partiql   # a number of runs instead of a time
#
# Installs cargo-fuzz (crates.io) when it is missing. Builds with `--sanitizer none`, which
# works on the stable toolchain: the engine has no unsafe code (`forbid(unsafe_code)`), so
# AddressSanitizer would only slow the search down. New corpus entries go to
# fuzz/corpus/<target>/ (kept between runs, not committed).
set -uo pipefail

cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
CARGO_FUZZ_VERSION=0.13.2

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(operations expressions partiql workspace)

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" || exit 1
fi

echo "building the fuzz targets"
cargo fuzz build --sanitizer none || exit 1
echo "generating the seeds"
cargo run --quiet --manifest-path fuzz/Cargo.toml --example seeds -- fuzz/seeds || exit 1

# cargo-fuzz builds for the host's target triple.
bin=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release
passed=0
failed=0
total=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  limit=(-max_total_time="$seconds")
  [ -z "${FUZZ_RUNS:-}" ] || limit=(-runs="$FUZZ_RUNS")
  # The expression and PartiQL words (fuzz/dict/), for the text targets.
  [ ! -f "fuzz/dict/$target.dict" ] || limit+=(-dict="fuzz/dict/$target.dict")
  log=$(mktemp)
  start=$SECONDS
  # -timeout: an input that takes 20 s is a hang worth reporting, not a slow run.
  nice -n 10 "$bin/$target" "fuzz/corpus/$target" "fuzz/seeds/$target" "${limit[@]}" -timeout=20 \
    -rss_limit_mb=3000 -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  total=$((total + ${runs:-0}))
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
    echo "$target: ${runs:-0} runs in $((SECONDS - start)) s, no crash"
  else
    failed=$((failed + 1))
    # The panic and the input that caused it (libFuzzer prints both).
    grep -E "panicked at|^thread|Test unit written|deadly signal|timeout|out-of-memory" -A3 "$log" | head -40
    echo "$target: FAILED after ${runs:-0} runs (exit $status); reproduce with $bin/$target <artifact>"
  fi
  rm -f "$log"
done
echo "fuzz: $total runs in all"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
