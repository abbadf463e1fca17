#!/usr/bin/env bash
# `make test-fast`: the quick loop while working. The unit tests on their own (plain Python:
# tests/unit/conftest.py fails the run if one imports Rasa, rasa_sdk or addons/), then the
# adapter tests (addons/ against the installed Rasa) and the action tests (rasa_sdk).
# No lint, no training, no servers. Extra arguments go to both pytest runs (e.g. -x).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)
"$VENV/bin/python" -m pytest -q tests/unit "$@"
"$VENV/bin/python" -m pytest -q tests/adapter tests/actions "$@"
echo "test-fast: $(( $(date +%s) - started ))s"
