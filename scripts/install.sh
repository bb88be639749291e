#!/usr/bin/env bash
# Create .venv and install the pinned packages; "dev" adds what the tests need, Chromium included.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  # Chromium for the browser tests; iproute2 for the test that opens the app from another host
  # (a network namespace); gettext for the check that a translator's tools accept the catalogs (msgfmt);
  # nginx and openssl for the check of the deployment kit's site (nginx -t).
  if { [ ! -x /usr/bin/chromium ] || ! command -v ip >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1 \
       || [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null 2>&1; } \
     && command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium iproute2 gettext nginx-light openssl >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
# Several workers (PANTAU_WORKERS=2 bash scripts/start.sh, for a room full of people) run behind nginx.
if [ "${PANTAU_WORKERS:-1}" != "1" ] && [ ! -x /usr/sbin/nginx ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null
fi
