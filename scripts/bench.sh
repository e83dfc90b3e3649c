#!/usr/bin/env bash
# `make bench`: the designated teacher's pages on demo data scaled to 2,000 children per authority,
# on SQLite and on the project's own PostgreSQL. Not part of the test suite: it reports figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/python scripts/benchmark.py "$@"
.venv/bin/python scripts/benchmark_documents.py  # a 20-page PEP as PDF in under 2 s
pg_dir="$(mktemp -d /tmp/pep-portal-postgres.XXXXXX)"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
pg_url="$(bash scripts/postgres.sh start "$pg_dir")"
.venv/bin/python scripts/benchmark.py --postgres-url "$pg_url" "$@"
