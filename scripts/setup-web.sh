#!/usr/bin/env bash
# Installs what building the browser playground needs, skipping whatever is already there at
# the right version: the wasm32 target, Trunk 0.21.14, wasm-bindgen-cli 0.2.130 (== the
# wasm-bindgen crate in Cargo.lock), and in web/tools wasm-opt from npm's binaryen 132 and
# esbuild 0.24.2 (it minifies release JavaScript), and in web/editor the code editor's CodeMirror
# packages, exactly as package-lock.json pins them (`npm ci` only when they are missing or the
# lockfile changed: a stamp in node_modules holds the lockfile's hash). Then fetches the crates so
# Trunk's offline cargo build finds them. Versions: shared TOOLCHAIN notes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -q '^trunk 0.21.14$'; then
  echo "installing trunk 0.21.14 (about 10 minutes the first time)"
  cargo install --locked trunk --version 0.21.14
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q '^wasm-bindgen 0.2.130$' \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  echo "installing wasm-bindgen-cli 0.2.130 (about 9 minutes the first time)"
  # Without --locked: its lockfile pins a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if ! web/tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q 'version 132' \
   || ! web/tools/node_modules/.bin/esbuild --version 2>/dev/null | grep -qx '0.24.2'; then
  (cd web/tools && npm ci --no-audit --no-fund --silent)
fi
want=$(sha256sum web/editor/package-lock.json | cut -d' ' -f1)
if [ "$(cat web/editor/node_modules/.package-lock.sha256 2>/dev/null)" != "$want" ]; then
  # No install scripts: none of the pinned packages needs one.
  (cd web/editor && npm ci --ignore-scripts --no-audit --no-fund --silent)
  echo "$want" >web/editor/node_modules/.package-lock.sha256
fi
cargo fetch --quiet
