#!/usr/bin/env bash
# Deletes conversations older than RETENTION_DAYS (default 30) from the tracker store.
#   scripts/purge.sh [--days N]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m addons.retention --endpoints "$ENDPOINTS" "$@"
