#!/usr/bin/env bash
# Deletes stored events older than RETENTION_DAYS (default 30) from the tracker store, message by
# message; --rotate-key re-encrypts every event with the first key of TRACKER_ENCRYPTION_KEYS.
#   scripts/purge.sh [--days N] | --rotate-key
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m addons.retention --endpoints "$ENDPOINTS" "$@"
