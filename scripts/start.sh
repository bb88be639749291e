#!/usr/bin/env bash
# Install, then start Pantau Kota on http://localhost:8501 (the demo is built on first start).
# Two Streamlit workers behind Debian's nginx where nginx is or can be installed (a room of a hundred
# phones needs both cores; README "Performance"), else one. PANTAU_WORKERS=1 (or 3, ...) chooses.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PANTAU_WORKERS:-}" ]; then
  if [ -x /usr/sbin/nginx ] || { command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; }; then
    export PANTAU_WORKERS=2
  else
    export PANTAU_WORKERS=1
  fi
fi
bash scripts/install.sh
PANTAU_MODE=${PANTAU_MODE:-lokal} exec .venv/bin/python -m pantau serve --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"
