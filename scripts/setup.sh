#!/usr/bin/env bash
# Installs what the portal needs, skipping whatever is already in place.
#   scripts/setup.sh run    Python virtualenv, npm packages, built assets
#   scripts/setup.sh test   the same, plus Debian's Chromium and PostgreSQL for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-run}"
PYTHON="${PYTHON:-python3}"

debian_packages=()
if [ "$MODE" = test ]; then
  command -v chromium >/dev/null 2>&1 || debian_packages+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || debian_packages+=(postgresql postgresql-contrib)
fi
command -v node >/dev/null 2>&1 || debian_packages+=(nodejs npm)
# WeasyPrint (PEPs as PDF) draws text with Pango and embeds DejaVu fonts.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 libglib2.0-0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || debian_packages+=("$package")
done
if [ "${#debian_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${debian_packages[*]}. Install them as root, then run this again." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${debian_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
fi

stamp() { sha256sum "$@" | sha256sum | cut -c1-64; }

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtualenv (.venv)"
  "$PYTHON" -m venv .venv
fi
python_stamp="$(stamp pyproject.toml)"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$python_stamp" ]; then
  echo "Installing Python packages"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$python_stamp" > .venv/.installed
fi

npm_stamp="$(stamp package.json package-lock.json)"
if [ "$(cat node_modules/.installed 2>/dev/null)" != "$npm_stamp" ]; then
  echo "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_stamp" > node_modules/.installed
fi

node scripts/build-assets.mjs >/dev/null
mkdir -p var
