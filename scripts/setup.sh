#!/usr/bin/env bash
# Installs what is missing on a fresh machine and skips what is present.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium, ChromeDriver
# and poppler-utils for the tests)
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
  # Chromium for the browser tests; poppler-utils (pdftotext, pdfinfo,
  # pdffonts) for the tests that read the PDF documents back.
  missing=()
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    missing+=(chromium chromium-driver)
  fi
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # axe-core: the accessibility check the browser tests run on every page.
  if [ ! -f tools/node_modules/axe-core/axe.min.js ]; then
    log "installing axe-core@$AXE_CORE_NPM_VERSION from npm"
    mkdir -p tools
    (cd tools && npm install --no-audit --no-fund --loglevel=error --save-exact "axe-core@$AXE_CORE_NPM_VERSION" >/dev/null)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
log "tools ready"
