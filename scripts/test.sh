#!/usr/bin/env bash
# The whole test suite: data validation, content, unit, action, conversation and
# end-to-end (browser, channels, API) tests. .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)

scripts/setup.sh
scripts/install-browser.sh
echo "== content";    "$VENV/bin/python" -m bot.content
echo "== rasa data validate"; "$VENV/bin/rasa" data validate --fail-on-warnings
echo "== train (cached when unchanged)"; t0=$(date +%s); scripts/train.sh >var-train.log 2>&1 || { cat var-train.log; exit 1; }
tail -n 3 var-train.log; rm -f var-train.log; echo "train step: $(( $(date +%s) - t0 ))s"
echo "== pytest"
"$VENV/bin/python" -m pytest "$@"
echo "whole suite: $(( $(date +%s) - started ))s"
