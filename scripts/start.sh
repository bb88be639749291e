#!/usr/bin/env bash
# Install, then start Pantau Kota on http://localhost:8501 (the demo is built on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
PANTAU_MODE=${PANTAU_MODE:-lokal} exec .venv/bin/python -m pantau serve --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"
