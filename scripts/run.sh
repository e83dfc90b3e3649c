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
# E-mail: without a mail server of your own, a local sink on 127.0.0.1:8025 receives everything
# the portal sends and writes it to var/mail.log; the outbox is delivered every few seconds.
if [ -z "${SMTP_HOST:-}" ]; then
  export SMTP_HOST=127.0.0.1 SMTP_PORT="${SMTP_PORT:-8025}"
  .venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >> var/mail.log 2>&1 &
  sink=$!
fi
.venv/bin/flask notifications send --loop --interval 5 >> var/notifications.log 2>&1 &
sender=$!
# What a production scheduler (cron) runs: the termly cycle and the reminders, each safe to run as
# often as it likes. Here, at start-up and then every hour.
(
  while true; do
    .venv/bin/flask peps termly-cycle
    .venv/bin/flask notifications remind
    sleep 3600
  done
) >> var/scheduled.log 2>&1 &
scheduler=$!
trap 'kill ${sink:-} $sender $scheduler 2>/dev/null || true' EXIT INT TERM

echo "PEP Portal: http://127.0.0.1:${PORT:-5000}/ (stop with Ctrl+C). E-mail sent by the portal: var/mail.log"
.venv/bin/gunicorn --workers 2 --bind "127.0.0.1:${PORT:-5000}" --access-logfile - "portal:create_app()"
