#!/usr/bin/env bash
# Validates what "Export design" writes, with AWS's own tools: every representative table
# (design/src/samples.rs) is exported in every format (design/examples/export_samples.rs), then
#   - cfn-lint (tests/.venv, from tests/clients/requirements.txt) lints each CloudFormation
#     template, informational checks included;
#   - tsc compiles each AWS CDK app against aws-cdk-lib (tests/design, pinned by its
#     package-lock.json), and node synthesizes it;
#   - tests/design/check_exports.py compares the synthesized table with the CloudFormation export,
#     the YAML template with the JSON one (PyYAML), and reads the S3 export (zipfile, gzip) and the
#     Workbench model back.
# Terraform cannot be installed here (no binary downloads): its output is parsed as HCL and read
# back into the same design by design/tests/exports.rs instead.
#
# Expects tests/.venv with cfn-lint and tests/design/node_modules (scripts/test.sh sets both up).
# Prints one line per check and closes with "N passed, M failed".
set -uo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
VENV="$REPO/tests/.venv"
CDK_DIR="$REPO/tests/design"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
finish() {
  echo "validate-design: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
}

if ! cargo run -q -p dynaplay-design --example export_samples -- "$WORK/exports"; then
  fail "the samples could not be exported"
  finish
fi

for template in "$WORK"/exports/*.template.yaml "$WORK"/exports/*.template.json; do
  if report=$("$VENV/bin/cfn-lint" --include-checks I -- "$template" 2>&1); then
    ok "cfn-lint: $(basename "$template")"
  else
    fail "cfn-lint: $(basename "$template")"
    echo "$report"
  fi
done

# The apps compile in the package directory, where node finds aws-cdk-lib.
rm -rf "$CDK_DIR/apps" "$CDK_DIR/out"
mkdir -p "$CDK_DIR/apps"
cp "$WORK"/exports/*Stack.ts "$CDK_DIR/apps/"
if (cd "$CDK_DIR" && node_modules/.bin/tsc -p tsconfig.json); then
  ok "tsc: $(cd "$CDK_DIR/apps" && ls | tr '\n' ' ')compile against aws-cdk-lib"
  for app in "$CDK_DIR"/out/*.js; do
    stack=$(basename "$app" .js)
    if (cd "$CDK_DIR" && CDK_OUTDIR="$WORK/synth/$stack" node "$app") && [ -f "$WORK/synth/$stack/$stack.template.json" ]; then
      ok "cdk synth: $stack"
    else
      fail "cdk synth: $stack"
    fi
  done
else
  fail "tsc: the CDK apps do not compile"
fi
rm -rf "$CDK_DIR/apps" "$CDK_DIR/out"

check_log="$WORK/check.log"
"$VENV/bin/python" "$REPO/tests/design/check_exports.py" "$WORK/exports" "$WORK/synth" | tee "$check_log"
last=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$check_log" | tail -n 1)
p=$(grep -Eo '[0-9]+ passed' <<<"$last" | awk '{print $1+0}')
f=$(grep -Eo '[0-9]+ failed' <<<"$last" | awk '{print $1+0}')
[ -n "$last" ] || f=1
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
finish
