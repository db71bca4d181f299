#!/usr/bin/env bash
# Installs what is missing and runs every test: domain unit tests,
# integration tests on SQLite and PostgreSQL, and the offline browser test.
# PostgreSQL must listen on 127.0.0.1:5432 (DOITHOAI_TEST_PG overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/ensure_postgres.sh
cargo run -p xtask --release -- site
cargo test --workspace --exclude app --exclude xtask
