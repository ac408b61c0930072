#!/usr/bin/env bash
# Installs what the browser tests and benchmark need, skipping what is there: Debian's
# Chromium and chromedriver (apt-get; never a browser download) and, in web/e2e,
# playwright-core, esbuild and the AWS SDK v3 packages for the SDK test page (npm).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "Chromium is missing: sudo apt-get install chromium chromium-driver" >&2
    exit 1
  fi
fi
stamp=web/e2e/node_modules/.package.sha256
want=$(sha256sum web/e2e/package.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -d web/e2e/node_modules/playwright-core ] \
   || [ ! -d web/e2e/node_modules/esbuild ]; then
  (cd web/e2e && npm install --no-audit --no-fund --silent)
  echo "$want" >"$stamp"
fi
