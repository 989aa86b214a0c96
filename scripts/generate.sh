#!/usr/bin/env bash
# Quick start, step 1: set up, then generate the Salesforce Bulk API 2.0 client
# into generated/salesforce_bulk_v2 (options come from [tool.pmgen] in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/pmgen generate collections/salesforce-bulk-v2.postman_collection.json "$@"
