#!/usr/bin/env bash
# Installs what is missing, builds the release app and starts it on embedded
# SQLite at http://127.0.0.1:3000. The first start prints the admin password.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -p xtask --release -- site
cargo build -p server --release --bin doithoai
exec ./target/release/doithoai
