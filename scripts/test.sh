#!/usr/bin/env bash
# Sets up and runs every dynaplay test: the Rust workspace (unit, golden, property, and the
# server's protocol, access, connection-limit and --data-dir durability tests, kill -9 included),
# rustfmt and clippy (native and wasm32: clippy.toml holds the bundle rules; the fuzz crate too),
# a short run of every fuzz target (scripts/fuzz.sh: cargo-fuzz, installed when missing),
# the teaching content (scripts/validate-content.sh: every lab parses and walks on the engine),
# the design exports (scripts/validate-design.sh: cfn-lint on the CloudFormation templates, tsc
# and a synth of the CDK apps against aws-cdk-lib, the S3 export and Workbench model read back),
# the real-client tests, each against a dynaplay-server it starts — boto3
# and the AWS CLI (pytest, tests/clients/; test_cli_corpus.py also checks the browser's AWS CLI
# parser against the real CLI, line by line of tests/cli/corpus.txt, through cli-replay), the AWS SDK for JavaScript v3 and v2 (node --test,
# tests/clients/node/) — then the browser tests of web/ (wasm-bindgen-test in headless
# Chromium) and the end-to-end tests of the built playground (playwright-core driving Debian's
# Chromium; screenshots in target/e2e-artifacts).
#
# Works from a fresh Debian machine that has the Rust toolchain, python3 and node: the
# Python virtualenv (tests/.venv) is created and filled from tests/clients/requirements.txt
# only when it is missing or out of date, and tests/clients/node/node_modules is installed
# with `npm ci` only when it is missing or package-lock.json changed, so repeated runs skip
# straight to the tests.
# Runs every stage even when an earlier one fails, then prints one summary line and exits
# non-zero if anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
# cargo-installed tools (trunk, wasm-bindgen-test-runner) live here.
export PATH="$HOME/.cargo/bin:$PATH"
VENV="$REPO/tests/.venv"
REQUIREMENTS="$REPO/tests/clients/requirements.txt"
NODE_DIR="$REPO/tests/clients/node"
DESIGN_NODE_DIR="$REPO/tests/design"
SERVER_BIN="$REPO/target/debug/dynaplay-server"
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT

passed=0
failed=0
failed_stages=()

say() { printf '\n==> %s\n' "$*"; }

# Adds the counts from cargo's "test result: ok. N passed; M failed; ..." lines.
count_cargo() {
  local p f
  p=$(grep -Eo '^test result: .* ([0-9]+) passed' "$1" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -E '^test result: ' "$1" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p))
  failed=$((failed + f))
}

# Adds the counts from a plain closing line "...: N passed, M failed".
count_plain() {
  local last p f
  last=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  p=$(grep -Eo '[0-9]+ passed' <<<"$last" | awk '{print $1+0}')
  f=$(grep -Eo '[0-9]+ failed' <<<"$last" | awk '{print $1+0}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

# Adds the counts from pytest's closing line ("3 failed, 9 passed, 1 error in 1.2s").
count_pytest() {
  local last p f e
  last=$(grep -E '[0-9]+ (passed|failed|error)' "$1" | tail -n 1)
  p=$(grep -Eo '[0-9]+ passed' <<<"$last" | awk '{print $1}')
  f=$(grep -Eo '[0-9]+ failed' <<<"$last" | awk '{print $1}')
  e=$(grep -Eo '[0-9]+ errors?' <<<"$last" | awk '{print $1}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
}

# Adds the counts from node's test runner summary ("ℹ pass 9" / "ℹ fail 1" with the spec
# reporter, "# pass 9" with tap); cancelled tests count as failed.
count_node() {
  local p f c
  p=$(grep -Eo '^(ℹ|#) pass [0-9]+' "$1" | tail -n 1 | awk '{print $3}')
  f=$(grep -Eo '^(ℹ|#) fail [0-9]+' "$1" | tail -n 1 | awk '{print $3}')
  c=$(grep -Eo '^(ℹ|#) cancelled [0-9]+' "$1" | tail -n 1 | awk '{print $3}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${c:-0}))
}

# Runs a stage, echoing its output and keeping a copy for counting. A stage that fails
# without a failing test to show for it (setup, a compile error) counts as one failure.
stage() {
  local name=$1 counter=$2
  shift 2
  say "$name: $*"
  local before=$failed status=0 start=$SECONDS
  "$@" 2>&1 | tee "$LOG_DIR/$name.log" || status=$?
  echo "--> $name took $((SECONDS - start))s"
  [ "$counter" = - ] || "$counter" "$LOG_DIR/$name.log"
  if [ "$status" != 0 ]; then
    failed_stages+=("$name")
    [ "$failed" != "$before" ] || failed=$((failed + 1))
  fi
  return "$status"
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    if ! python3 -m venv "$VENV"; then
      # Debian splits venv support out of python3; install it when we may.
      rm -rf "$VENV"
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$VENV" || return 1
      else
        echo "python3 -m venv failed: install python3-venv" >&2
        return 1
      fi
    fi
  fi
  # The stamp holds the hash of the requirements last installed successfully.
  local want have
  want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
  have=$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)
  if [ "$want" = "$have" ] && "$VENV/bin/python" -c 'import awscli, boto3, pytest, cfnlint' 2>/dev/null; then
    echo "tests/.venv is up to date"
    return 0
  fi
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQUIREMENTS" || return 1
  echo "$want" >"$VENV/.requirements.sha256"
}

# node_modules of a package directory, exactly as its package-lock.json pins them. The stamp
# (inside node_modules, so it goes when they go) holds the hash of the lockfile installed.
npm_ci_once() {
  local dir=$1 want have
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are needed for ${dir#"$REPO"/}" >&2
    return 1
  fi
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  have=$(cat "$dir/node_modules/.package-lock.sha256" 2>/dev/null || true)
  if [ "$want" = "$have" ]; then
    echo "${dir#"$REPO"/}/node_modules is up to date"
    return 0
  fi
  # No install scripts: none of the pinned packages needs one.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || return 1
  echo "$want" >"$dir/node_modules/.package-lock.sha256"
}

# The Node client tests' packages, and the AWS CDK's (aws-cdk-lib, constructs, typescript) that
# scripts/validate-design.sh compiles the exported CDK apps against.
setup_node() {
  npm_ci_once "$NODE_DIR" && npm_ci_once "$DESIGN_NODE_DIR"
}

run_node_tests() {
  cd "$NODE_DIR" && DYNAPLAY_SERVER_BIN="$SERVER_BIN" node --test --test-reporter=spec
}

stage setup - setup_venv
python_ready=$?
stage setup-node - setup_node
node_ready=$?
stage build - cargo build --workspace
built=$?
stage cargo-test count_cargo cargo test --workspace --no-fail-fast
# The engine as the page's first load builds it: without global tables and DAX, which it refuses
# in words the page recognises (engine/src/features.rs).
stage small-engine count_cargo cargo test -p dynaplay-engine --no-default-features --test small_build

# The tree stays formatted and clippy-clean (clippy.toml holds the bundle rules): a stage, so a
# landing that skipped them by hand cannot pass.
lint() {
  cargo fmt --all -- --check || return 1
  cargo clippy --workspace --all-targets -- -D warnings || return 1
  cargo clippy -p dynaplay-engine --no-default-features --all-targets -- -D warnings || return 1
  # The fuzz crate is a workspace of its own (fuzz/README.md).
  cargo fmt --manifest-path fuzz/Cargo.toml -- --check || return 1
  cargo clippy --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings
}
stage lint - lint
# Fuzzing: each fuzz target of fuzz/ (cargo-fuzz, libFuzzer) for 30 s from the seeds generated
# from tests/golden; a crash fails the stage and leaves its input in fuzz/artifacts/.
stage fuzz count_plain scripts/fuzz.sh 30
# Labs (and questions): every file parses, every lab walks on the engine (static/labs/README.md).
stage content count_plain scripts/validate-content.sh

# Records a stage that could not run as one failure.
not_run() {
  echo "skipping the $1 tests: $2"
  failed_stages+=("$1(not-run)")
  failed=$((failed + 1))
}

if [ "$built" != 0 ]; then
  not_run python-clients "the build failed"
  not_run node-clients "the build failed"
else
  if [ "$python_ready" = 0 ]; then
    DYNAPLAY_SERVER_BIN="$SERVER_BIN" \
      stage python-clients count_pytest "$VENV/bin/pytest" -q "$REPO/tests/clients"
  else
    not_run python-clients "the Python setup failed"
  fi
  if [ "$node_ready" = 0 ]; then
    stage node-clients count_node run_node_tests
  else
    not_run node-clients "the Node setup failed"
  fi
fi
if [ "$python_ready" = 0 ] && [ "$node_ready" = 0 ]; then
  stage design-exports count_plain scripts/validate-design.sh
else
  not_run design-exports "the Python or Node setup failed"
fi

# The browser side: tools (skipped when installed), the release bundle, Chromium.
if stage web-setup - scripts/play.sh --build-only && stage browser-setup - scripts/setup-browser.sh; then
  stage bundle count_plain scripts/bundle-size.sh --budget 524288
  stage wasm-lint - cargo clippy -p dynaplay-web --target wasm32-unknown-unknown --all-targets -- -D warnings
  stage wasm-test count_cargo cargo test -p dynaplay-web --target wasm32-unknown-unknown
  stage e2e count_plain node web/e2e/run.mjs "$REPO/dist" "$REPO/target/e2e-artifacts"
else
  not_run browser "their setup failed"
fi

echo
if [ ${#failed_stages[@]} -eq 0 ]; then
  echo "all stages passed"
  echo "summary: $passed passed, $failed failed"
  exit 0
fi
echo "failed stages: ${failed_stages[*]}"
echo "summary: $passed passed, $failed failed"
exit 1
