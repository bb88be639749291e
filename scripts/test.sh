#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium too), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
exec .venv/bin/python -m pytest -q "$@"
