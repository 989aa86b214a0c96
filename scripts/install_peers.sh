#!/usr/bin/env bash
# Install the equivalence test's peers under .cache/ (git-ignored), idempotently:
#   .cache/newman       Newman 6.2.2 (npm), the reference request sender
#   .cache/peers-venv   httpbin 0.10.4 on gunicorn, the echo server behind the recording proxy
# A second run with everything in place does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
NEWMAN_VERSION=6.2.2
HTTPBIN_VERSION=0.10.4
GUNICORN_VERSION=23.0.0
mkdir -p .cache

newman_dir=.cache/newman
if [ ! -x "$newman_dir/node_modules/.bin/newman" ] \
  || [ "$("$newman_dir/node_modules/.bin/newman" --version 2>/dev/null)" != "$NEWMAN_VERSION" ]; then
  echo "== installing newman $NEWMAN_VERSION into $newman_dir"
  mkdir -p "$newman_dir"
  npm install --prefix "$newman_dir" --no-audit --no-fund --loglevel=error \
    --no-save "newman@$NEWMAN_VERSION" >/dev/null
fi

venv=.cache/peers-venv
stamp="$venv/.installed-httpbin-$HTTPBIN_VERSION-gunicorn-$GUNICORN_VERSION"
if [ ! -f "$stamp" ]; then
  echo "== installing httpbin $HTTPBIN_VERSION and gunicorn $GUNICORN_VERSION into $venv"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet "httpbin==$HTTPBIN_VERSION" "gunicorn==$GUNICORN_VERSION"
  touch "$stamp"
fi
