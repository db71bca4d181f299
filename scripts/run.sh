#!/usr/bin/env bash
# Installs what is missing, builds the release app and starts it on embedded
# SQLite at http://127.0.0.1:3000. The first start prints the admin password.
# `--demo` first fills an empty database with the demo province (doithoai
# seed-demo) and prints the demo users' passwords.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -p xtask --release -- site
cargo build -p server --release --bin doithoai
if [ "${1:-}" = "--demo" ]; then
  # Refuses (and changes nothing) when the database holds dialogues already.
  ./target/release/doithoai seed-demo || true
fi
exec ./target/release/doithoai
