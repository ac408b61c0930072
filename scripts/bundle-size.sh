#!/usr/bin/env bash
# The release bundle's size as issue 4 measures it: every wasm, JS and CSS file the first page
# load fetches from dist/, under gzip -9, one line each and the total. With --budget BYTES it is
# also a check: it fails when the total exceeds BYTES (scripts/test.sh runs it with the 512 KiB
# budget, 524,288 bytes). Code loaded on demand — the teaching module in dist/learn-*/ (labs,
# practice, the calculator, a table's Items tab: the item explorer, the query builder, the
# stream, trigger and TTL panels), the code editor dist/editor-*.js, the endpoint client
# dist/remote.js, an embedded frame's API dist/embed-frame.js, the sample datasets' loader
# dist/dataset-loader.js, and the full engine
# dist/dynaplay-web-full-* (the page's wasm with global tables and DAX, loaded instead of the
# small one when a learner needs them) — is measured on lines of its own, outside the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=
if [ "${1:-}" = "--budget" ]; then budget=$2; fi
total=0
small=0
while IFS= read -r f; do
  n=$(gzip -9c "$f" | wc -c)
  total=$((total + n))
  printf '  %-60s %7d bytes\n' "${f#dist/}" "$n"
  case "${f#dist/}" in dynaplay-web-*_bg.wasm | dynaplay-web-*.js) small=$((small + n)) ;; esac
done < <(find dist -path 'dist/learn-*' -prune -o -path 'dist/embed.js' -prune -o -path 'dist/remote.js' -prune -o -path 'dist/dataset-loader.js' -prune -o -path 'dist/embed-frame.js' -prune -o -path 'dist/editor-*' -prune -o -path 'dist/dynaplay-web-full-*' -prune -o -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print | sort)
printf '  %-60s %7d bytes (%d.%d KB)\n' "total" "$total" "$((total / 1024))" "$((total % 1024 * 10 / 1024))"
# On demand: the teaching module's wasm and glue (its snippet is fetched with it).
learn=0
while IFS= read -r f; do
  learn=$((learn + $(gzip -9c "$f" | wc -c)))
done < <(find dist -path 'dist/learn-*' -type f \( -name '*.wasm' -o -name 'dynaplay-learn.js' -o -name 'learn.js' \) | sort)
printf '  %-60s %7d bytes (on demand: create-table form, item explorer, query builder, stream, trigger and TTL panels, labs, practice, calculator, Capacity tab, Vector search tab, workspaces, Export design, Workbench import, endpoint form, AWS CLI)\n' "learn-*/ (not in the total)" "$learn"
if [ -f dist/embed.js ]; then
  printf '  %-60s %7d bytes (what a docs page loads to embed dynaplay)\n' "embed.js (not in the total)" "$(gzip -9c dist/embed.js | wc -c)"
fi
if [ -f dist/embed-frame.js ]; then
  printf '  %-60s %7d bytes (on demand: an embedded frame'"'"'s postMessage API)\n' "embed-frame.js (not in the total)" "$(gzip -9c dist/embed-frame.js | wc -c)"
fi
if [ -f dist/remote.js ]; then
  printf '  %-60s %7d bytes (on demand: the client of a real endpoint, SigV4)\n' "remote.js (not in the total)" "$(gzip -9c dist/remote.js | wc -c)"
fi
if [ -f dist/dataset-loader.js ]; then
  printf '  %-60s %7d bytes (on demand: the sample datasets'"'"' loader)\n' "dataset-loader.js (not in the total)" "$(gzip -9c dist/dataset-loader.js | wc -c)"
fi
# On demand: the full engine, the page's wasm and glue built with global tables and DAX (its
# snippets are the small build's, already counted).
full=0
while IFS= read -r f; do
  full=$((full + $(gzip -9c "$f" | wc -c)))
done < <(find dist -maxdepth 1 -type f \( -name 'dynaplay-web-full-*_bg.wasm' -o -name 'dynaplay-web-full-*.js' \))
if [ "$full" = 0 ] && [ -n "$budget" ]; then
  echo "bundle: 0 passed, 1 failed (no dist/dynaplay-web-full-*: the full engine was not built)"
  exit 1
fi
printf '  %-60s %7d bytes (on demand: the full engine — global tables, DAX, auto scaling, access control, backups; %+d B over the first load'"'"'s wasm + glue)\n' "dynaplay-web-full-* (not in the total)" "$full" "$((full - small))"
# On demand: the code editor (CodeMirror), fetched after the first render.
editor=0
while IFS= read -r f; do
  editor=$((editor + $(gzip -9c "$f" | wc -c)))
done < <(find dist -maxdepth 1 -type f -name 'editor-*.js')
if [ "$editor" = 0 ] && [ -n "$budget" ]; then
  echo "bundle: 0 passed, 1 failed (no dist/editor-*.js: the code editor was not built)"
  exit 1
fi
printf '  %-60s %7d bytes (on demand: the code editor)\n' "editor-*.js (not in the total)" "$editor"
if [ -n "$budget" ]; then
  if [ "$total" -le "$budget" ]; then
    echo "bundle: 1 passed, 0 failed ($total ≤ $budget bytes)"
  else
    echo "bundle: 0 passed, 1 failed ($total > $budget bytes: measure what grew with twiggy, see web/README.md)"
    exit 1
  fi
fi
