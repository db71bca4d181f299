#!/usr/bin/env bash
# Installs what is missing on a fresh machine and skips what is present.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium + ChromeDriver)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env

log() { printf '[setup] %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup first" >&2; exit 1
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown
fi

# wasm-opt from npm: Debian's binaryen is too old and silently breaks the output.
if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  log "installing binaryen@$BINARYEN_NPM_VERSION from npm"
  mkdir -p tools
  (cd tools && npm install --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_NPM_VERSION" >/dev/null)
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
log "tools ready"
