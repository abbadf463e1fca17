#!/usr/bin/env bash
# Starts the action server, the Rasa server and the demo web page; Ctrl+C stops all three.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
mkdir -p "$(dirname "$TRACKER_DB")" "$ROOT/var/log"

if [ -z "${RASA_API_TOKEN:-}" ]; then
  RASA_API_TOKEN=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))')
  echo "RASA_API_TOKEN was not set; generated one for this run: $RASA_API_TOKEN"
fi
export RASA_API_TOKEN

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

scripts/server.sh actions > "$ROOT/var/log/actions.log" 2>&1 &
pids+=($!)
scripts/server.sh rasa > "$ROOT/var/log/rasa.log" 2>&1 &
pids+=($!)
scripts/server.sh web > "$ROOT/var/log/web.log" 2>&1 &
pids+=($!)

echo "Starting (logs in var/log/) ..."
for _ in $(seq 1 180); do
  if curl -sf "http://localhost:$RASA_PORT/" >/dev/null && curl -sf "http://localhost:$ACTION_PORT/health" >/dev/null; then
    echo
    echo "  Chat in the browser:  http://localhost:$WEB_PORT/"
    echo "  REST channel:         http://localhost:$RASA_PORT/webhooks/rest/webhook"
    echo "  HTTP API (token):     http://localhost:$RASA_PORT/  (token: \$RASA_API_TOKEN)"
    echo "  Action server:        http://localhost:$ACTION_PORT/"
    echo "Press Ctrl+C to stop."
    wait -n "${pids[@]}"
    echo "A server stopped; see var/log/." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server failed to start; see var/log/." >&2; tail -n 20 "$ROOT"/var/log/*.log >&2; exit 1; }
  done
  sleep 1
done
echo "Timed out waiting for the servers; see var/log/." >&2
exit 1
