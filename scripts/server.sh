#!/usr/bin/env bash
# Runs one of the assistant's servers in the foreground with the project's settings
# (scripts/env.sh). The one place that says how each server is launched: scripts/serve.sh,
# `make shell` and the tests (tests/support/stack.py) all call it.
#   scripts/server.sh actions|rasa|web|console [extra arguments for that server]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
umask 077  # logs, the tracker database and the token file: readable by their owner only
server="${1:?usage: scripts/server.sh actions|rasa|web [args...]}"
shift
case "$server" in
  actions)
    # rasa_sdk's server without TensorFlow (addons/action_server.py says why); it binds to SANIC_HOST.
    SANIC_HOST="$ACTION_HOST" exec "$VENV/bin/python" -m addons.action_server --actions actions --port "$ACTION_PORT" "$@" ;;
  rasa)
    if [ -z "${RASA_API_TOKEN:-}" ] && [ ! -s "$RASA_API_TOKEN_FILE" ]; then
      echo "RASA_API_TOKEN or the file $RASA_API_TOKEN_FILE must hold a token: the HTTP API is never open" >&2
      exit 2
    fi
    # The launcher reads the token from the environment or the file, so that it never
    # appears in the process list (addons/launch.py).
    # shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
    exec "$VENV/bin/python" -m addons.launch --model "$MODEL_DIR/$MODEL_NAME.tar.gz" \
      --interface "$RASA_HOST" --port "$RASA_PORT" --enable-api --cors $CORS_ORIGINS \
      --credentials "$CREDENTIALS" --endpoints "$ENDPOINTS" "$@" ;;
  console)
    # The clinic console (console/, docs/console.md), on CONSOLE_HOST:CONSOLE_PORT (loopback).
    exec "$VENV/bin/python" -m console serve "$@" ;;
  web)
    exec "$VENV/bin/python" -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory "$ROOT/web" "$@" ;;
  *)
    echo "unknown server '$server' (actions, rasa, web or console)" >&2; exit 2 ;;
esac
