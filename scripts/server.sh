#!/usr/bin/env bash
# Runs one of the assistant's servers in the foreground with the project's settings
# (scripts/env.sh). The one place that says how each server is launched: scripts/serve.sh,
# `make shell` and the tests (tests/support/stack.py) all call it.
#   scripts/server.sh actions|rasa|web [extra arguments for that server]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
server="${1:?usage: scripts/server.sh actions|rasa|web [args...]}"
shift
case "$server" in
  actions)
    # rasa_sdk's server without TensorFlow (addons/action_server.py says why).
    exec "$VENV/bin/python" -m addons.action_server --actions actions --port "$ACTION_PORT" "$@" ;;
  rasa)
    : "${RASA_API_TOKEN:?RASA_API_TOKEN must be set: the HTTP API is never open}"
    # Rasa's own CLI with two per-message repairs (addons/rasa_server.py says which).
    # shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
    exec "$VENV/bin/python" -m addons.rasa_server run --model "$MODEL_DIR/$MODEL_NAME.tar.gz" --port "$RASA_PORT" \
      --enable-api --auth-token "$RASA_API_TOKEN" --cors $CORS_ORIGINS \
      --credentials "$CREDENTIALS" --endpoints "$ENDPOINTS" "$@" ;;
  web)
    exec "$VENV/bin/python" -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory "$ROOT/web" "$@" ;;
  *)
    echo "unknown server '$server' (actions, rasa or web)" >&2; exit 2 ;;
esac
