#!/usr/bin/env bash
# Installs the peers and tools bench/run.sh measures, skipping what is there; each comes from
# its own registry by name, never as a downloaded binary:
#   nginx, wrk        Debian (apt-get, as root)
#   dynalite          npm, into bench/node_modules (version pinned in bench/package.json)
#   moto's server     PyPI, into the venv bench/.tools/moto
#   Dynoxide          crates.io (cargo install dynoxide-rs), into bench/.tools/dynoxide
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
DYNOXIDE_VERSION=3.2.0

missing=()
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${missing[*]} — run 'apt-get install -y ${missing[*]}' as root" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

if [ "$(node -p 'try { require("./bench/node_modules/dynalite/package.json").version } catch { "" }')" != 4.0.0 ]; then
  echo "==> npm install (dynalite) in bench/" >&2
  (cd bench && npm install --no-audit --no-fund >&2)
fi

if [ "$(bench/.tools/moto/bin/python -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]; then
  echo "==> pip install moto[server]==$MOTO_VERSION into bench/.tools/moto" >&2
  python3 -m venv bench/.tools/moto
  bench/.tools/moto/bin/pip install -q "moto[server]==$MOTO_VERSION" >&2
fi

if [ ! -x bench/.tools/dynoxide/bin/dynoxide ]; then
  # Only the HTTP server and its command line: the MCP server and importer are not measured.
  echo "==> cargo install dynoxide-rs $DYNOXIDE_VERSION into bench/.tools/dynoxide (a few minutes)" >&2
  cargo install --locked --quiet dynoxide-rs --version "$DYNOXIDE_VERSION" --no-default-features \
    --features native-sqlite,http-server,cli --root bench/.tools/dynoxide >&2
fi
