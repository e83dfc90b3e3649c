#!/usr/bin/env bash
# The project's own PostgreSQL for tests: a private, throw-away cluster on a loopback port, run
# as the `postgres` user (initdb and pg_ctl refuse to run as root).
#   scripts/postgres.sh start DIR   create a cluster in DIR on a free port; prints its URL
#   scripts/postgres.sh stop DIR    stop it and delete DIR
set -euo pipefail

ACTION="${1:-}"
DATA="${2:-}"
[ -n "$ACTION" ] && [ -n "$DATA" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found; run scripts/setup.sh test" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$ACTION" in
  start)
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    # Trust on loopback only: this cluster exists for one test run and listens on 127.0.0.1.
    as_postgres "$BIN/initdb" -D "$DATA/cluster" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
    port="$(free_port)"
    as_postgres "$BIN/pg_ctl" -D "$DATA/cluster" -l "$DATA/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $DATA -c fsync=off -c full_page_writes=off" \
      start >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -d "$DATA/cluster" ]; then
      as_postgres "$BIN/pg_ctl" -D "$DATA/cluster" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DATA"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
