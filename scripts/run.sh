#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data and serve the portal on http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run

export FLASK_APP=portal
export PORTAL_ENV="${PORTAL_ENV:-development}"
if [ -z "${SECRET_KEY:-}" ]; then
  # One key for all workers, kept across restarts so sessions survive them.
  [ -s var/secret_key ] || (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > var/secret_key)
  SECRET_KEY="$(cat var/secret_key)"
  export SECRET_KEY
fi

.venv/bin/flask db upgrade
.venv/bin/flask authorities sync
if [ "$PORTAL_ENV" != production ]; then
  .venv/bin/flask demo load
fi
echo "PEP Portal: http://127.0.0.1:${PORT:-5000}/ (stop with Ctrl+C)"
exec .venv/bin/gunicorn --workers 2 --bind "127.0.0.1:${PORT:-5000}" --access-logfile - "portal:create_app()"
