#!/usr/bin/env bash
# Static checks: ruff (lint + format check) on all Python, mypy on bot/, actions/ and addons/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
