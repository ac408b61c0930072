#!/usr/bin/env bash
# The release bundle's size as issue 4 measures it: every wasm, JS and CSS file of dist/ under
# gzip -9, one line each and the total. With --budget BYTES it is also a check: it fails when
# the total exceeds BYTES (scripts/test.sh runs it with the 512 KiB budget, 524,288 bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=
if [ "${1:-}" = "--budget" ]; then budget=$2; fi
total=0
while IFS= read -r f; do
  n=$(gzip -9c "$f" | wc -c)
  total=$((total + n))
  printf '  %-60s %7d bytes\n' "${f#dist/}" "$n"
done < <(find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) | sort)
printf '  %-60s %7d bytes (%d.%d KB)\n' "total" "$total" "$((total / 1024))" "$((total % 1024 * 10 / 1024))"
if [ -n "$budget" ]; then
  if [ "$total" -le "$budget" ]; then
    echo "bundle: 1 passed, 0 failed ($total ≤ $budget bytes)"
  else
    echo "bundle: 0 passed, 1 failed ($total > $budget bytes: measure what grew with twiggy, see web/README.md)"
    exit 1
  fi
fi
