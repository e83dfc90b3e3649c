#!/usr/bin/env bash
# The project's own PostgreSQL for tests: a private cluster on a loopback port, run as the
# `postgres` user (initdb and pg_ctl refuse to run as root).
#   scripts/postgres.sh start   -> prints the database URL for the test suite
#   scripts/postgres.sh stop
set -euo pipefail

PORT="${PEP_PG_PORT:-54329}"
DATA="${PEP_PG_DATA:-/tmp/pep-portal-postgres-$PORT}"
LOG="$DATA.log"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found; run scripts/setup.sh test" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      chown postgres:postgres "$DATA"
      chmod 700 "$DATA"
      # Trust on loopback only: this cluster exists for the test suite and listens on 127.0.0.1.
      as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      touch "$LOG" && chown postgres:postgres "$LOG"
      as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c full_page_writes=off" start >/dev/null
    fi
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
