#!/usr/bin/env bash
# The whole test suite, fast checks first so a mistake stops the run early:
#   lint -> content -> unit tests (no Rasa) -> adapter and action tests -> data validation -> training ->
#   Rasa test stories -> conversations, browser, channels and API (real servers).
# .ci/run calls exactly this. Extra arguments go to the final pytest run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - started ))s)"; }

scripts/setup.sh
step "lint";                 scripts/lint.sh
step "content";              "$VENV/bin/python" -m bot.content
# The unit tests run on their own: their conftest can then tell that none imported Rasa.
step "unit tests (no Rasa)";  "$VENV/bin/python" -m pytest -q tests/unit
# The Debian packages the cluster runs on (PostgreSQL, Redis, nginx): the adapter tests use Redis too.
step "system packages";      scripts/cluster.sh install
step "adapter and action tests"; "$VENV/bin/python" -m pytest -q tests/adapter tests/actions
step "rasa data validate";   "$VENV/bin/rasa" data validate --fail-on-warnings
step "train (cached when unchanged)"
mkdir -p var/log
scripts/train.sh > var/log/train.log 2>&1 || { cat var/log/train.log; exit 1; }
tail -n 1 var/log/train.log
step "rasa test stories"
"$VENV/bin/rasa" test core --stories tests/test_stories.yml --model "$MODEL_DIR/$MODEL_NAME.tar.gz" \
  --fail-on-prediction-errors --out var/test-stories > var/log/test-stories.log 2>&1 \
  || { tail -n 40 var/log/test-stories.log; cat var/test-stories/failed_test_stories.yml; exit 1; }
grep -E "Correct:" var/log/test-stories.log | head -n 1
step "browser"; scripts/install-browser.sh
step "conversations, browser, channels, API"
# Two workers (TEST_WORKERS), each taking whole test files, so a file's servers are started once:
# most of these tests wait on servers, and a 2-core machine runs two at a time.
"$VENV/bin/python" -m pytest tests/conversations tests/e2e -n "${TEST_WORKERS:-2}" --dist loadfile --durations=40 "$@"
echo "whole suite: $(( $(date +%s) - started ))s"
