#!/usr/bin/env bash
# `make test`: set up, lint, then the whole suite on SQLite and again on PostgreSQL
# (the project's own cluster on a loopback port). Browser tests run in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check portal tests

pg_dir="$(mktemp -d /tmp/pep-portal-postgres.XXXXXX)"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
pg_url="$(bash scripts/postgres.sh start "$pg_dir")"

status=0
echo "== pytest on SQLite"
.venv/bin/python -m pytest "$@" || status=$?
echo "== pytest on PostgreSQL"
TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@" || status=$?
exit "$status"
