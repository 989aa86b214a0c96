#!/usr/bin/env bash
# Quick start, step 2: set up, then run every check and test (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_peers.sh   # Newman and httpbin for tests/equivalence (cached in .cache/)
echo "== ruff"; .venv/bin/ruff check --no-cache .
echo "== black"; .venv/bin/black --check --quiet .
echo "== mypy --strict generator"; .venv/bin/mypy --strict generator
echo "== pmgen check (generated/ up to date)"; .venv/bin/pmgen check
echo "== pytest"; .venv/bin/python -m pytest -p no:cacheprovider "$@"  # testpaths: tests
