#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned requirements (once per change).
set -euo pipefail
source "$(dirname "$0")/env.sh"

find_python310() {
  local candidate
  for candidate in "${PYTHON310:-}" python3.10; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    candidate=$(ls -d "$(pyenv root)"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$candidate" ]; then echo "$candidate"; return 0; fi
  fi
  return 1
}

# The chat widget's socket.io client (web/vendor/); npm ci only when web/package-lock.json changed.
"$ROOT/web/build.sh"

stamp="$VENV/.requirements.sha256"
wanted=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! python=$(find_python310); then
    echo "Python 3.10 is required (Rasa 3.6 does not install on 3.11+)." >&2
    echo "Install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
    exit 1
  fi
  echo "Creating $VENV with $python"
  "$python" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.0"
# Every file pip downloads must match a hash in the requirements file (supply chain).
"$VENV/bin/python" -m pip install --quiet --require-hashes -r "$ROOT/requirements.txt"
# Test and check tools, kept apart so a deployment can install requirements.txt alone.
"$VENV/bin/python" -m pip install --quiet --require-hashes -r "$ROOT/requirements-dev.txt"
echo "$wanted" > "$stamp"
