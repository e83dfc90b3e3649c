# The two commands of the README. Each installs what it needs first.
.PHONY: run test lint bench

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check portal tests

# Figures, not tests: page times, query counts and throughput on scaled demo data.
bench:
	bash scripts/bench.sh
