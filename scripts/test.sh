#!/usr/bin/env bash
# Installs what is missing and runs every test: domain unit tests,
# integration tests on SQLite and PostgreSQL, and the offline browser test.
# PostgreSQL must listen on 127.0.0.1:5432 (DOITHOAI_TEST_PG overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/ensure_postgres.sh
# Each test makes its own database; drop what earlier runs left behind.
pg="${DOITHOAI_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
for db in $(psql "$pg/postgres" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'doithoai_test_%'" 2>/dev/null); do
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
done
rm -rf "${TMPDIR:-/tmp}/doithoai-tests"
cargo run -p xtask --release -- site
cargo test --workspace --exclude app --exclude xtask
# An office suite opens every document (LibreOffice headless).
bash scripts/check_office.sh
