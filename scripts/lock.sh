#!/usr/bin/env bash
# Re-pins the requirements with the hash of every file, for `pip install --require-hashes`:
# installs requirements.in into .venv, freezes what it got, and has pip-compile (pip-tools,
# in a throw-away venv so it never enters the project's) write each pin with its hashes.
# The dev tools are pinned the same way, constrained to the runtime pins.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$VENV/bin/python" -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet "pip==24.0" "pip-tools==7.4.1"
compile() { "$work/tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --no-header --strip-extras "$@"; }
header() { printf '# %s\n# Installed by scripts/setup.sh with `pip install --require-hashes`; regenerate with\n# `make lock` (scripts/lock.sh) after editing %s.\n' "$1" "$2"; }

"$VENV/bin/pip" install --quiet -r requirements.in
"$VENV/bin/pip" freeze --exclude-editable > "$work/runtime.in"
compile -o "$work/runtime.txt" "$work/runtime.in"
{ header "The runtime set, pinned with hashes." requirements.in; grep -v -e '^--' "$work/runtime.txt"; } > requirements.txt

grep -E '^[A-Za-z0-9_.,-]+(\[[a-z,]+\])?==' requirements.txt | sed 's/ .*//; s/\[.*\]//' > "$work/constraints.txt"
"$VENV/bin/pip" install --quiet -r requirements-dev.in
"$VENV/bin/pip" freeze --exclude-editable | grep -vixFf "$work/constraints.txt" > "$work/dev.in"
echo "-c $work/constraints.txt" >> "$work/dev.in"
compile -o "$work/dev.txt" "$work/dev.in"
{ header "Test and check tools, pinned with hashes." requirements-dev.in; grep -v -e '^--' "$work/dev.txt"; } > requirements-dev.txt
