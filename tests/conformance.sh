#!/usr/bin/env bash
# Runs the DynamoDB conformance suite (github: nubo-db/dynamodb-conformance, checked out at
# $1) against a fresh dynaplay-server and prints the per-tier score.
#   tests/conformance.sh /path/to/dynamodb-conformance [FILTER...]
# FILTERs are vitest file filters, e.g. `tier1` or `tests/tier1/batchGetItem`. Set
# CONFORMANCE_FAILURES=FILE to get the failing tests and their first error line in FILE.
set -euo pipefail
suite=${1:?usage: tests/conformance.sh PATH [FILTER...]}
shift
source "$(dirname "$0")/lib/fresh-server.sh"
cd "$root"

cd "$suite"
if [ ! -d node_modules ]; then
  # The suite's lockfile pins a streams client version the registry lacks.
  npm install --no-audit --no-fund @aws-sdk/client-dynamodb-streams@3.1013.0 >&2
fi
out=$(mktemp)
DYNAMODB_ENDPOINT=$addr npx vitest run "$@" --reporter=json --outputFile="$out" >/dev/null 2>&1 || true
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const tiers = {};
for (const f of r.testResults) {
  const tier = (f.name.match(/tests\/(tier\d)/) || [])[1] || "other";
  const t = tiers[tier] ||= {passed: 0, total: 0};
  for (const a of f.assertionResults) { if (a.status === "pending" || a.status === "skipped" || a.status === "todo") { t.skipped = (t.skipped || 0) + 1; continue; } t.total++; if (a.status === "passed") t.passed++; }
}
let p = 0, n = 0;
for (const [k, v] of Object.entries(tiers).sort()) { console.log(`${k}: ${v.passed}/${v.total}` + (v.skipped ? ` (${v.skipped} skipped by the suite)` : "")); p += v.passed; n += v.total; }
console.log(`total: ${p}/${n}`);
' "$out"
if [ -n "${CONFORMANCE_FAILURES:-}" ]; then
  node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const f of r.testResults) for (const a of f.assertionResults)
    if (a.status !== "passed") console.log(`[${a.status}] ${f.name.replace(/.*tests\//, "")} :: ${a.fullName}\n    ${(a.failureMessages[0] || "").split("\n")[0].slice(0, 300)}`);
  ' "$out" > "$CONFORMANCE_FAILURES"
fi
rm -f "$out"
