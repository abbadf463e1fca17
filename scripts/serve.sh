#!/usr/bin/env bash
# Starts the action server, the Rasa server, the demo web page and the clinic console, and keeps them running:
# a server that stops is logged and started again (after 1 s, then up to 30 s between
# tries while it keeps failing), and the others go on serving meanwhile. Conversations
# live in the tracker database, so one continues when its server is back. Ctrl+C stops all.
# Logs: $LOG_DIR/<server>.log (rotated) and $LOG_DIR/supervisor.log; pids in $RUN_DIR.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
umask 077
mkdir -p "$(dirname "$TRACKER_DB")" "$(dirname "$EVENTS_DB")" "$LOG_DIR" "$RUN_DIR"

if [ -z "${RASA_API_TOKEN:-}" ] && [ ! -s "$RASA_API_TOKEN_FILE" ]; then
  mkdir -p "$(dirname "$RASA_API_TOKEN_FILE")"
  "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$RASA_API_TOKEN_FILE"
fi

servers=(actions rasa web console)
declare -A pids=() failures=() started=()
say() { echo "$(date -u +%FT%TZ) $*" | tee -a "$LOG_DIR/supervisor.log" >&2; }

start() {
  local name=$1
  # Process substitution keeps $! the server's own pid (a pipe would give the logger's).
  scripts/server.sh "$name" > >(exec "$VENV/bin/python" scripts/logpipe.py "$LOG_DIR/$name.log") 2>&1 &
  pids[$name]=$!
  started[$name]=$(date +%s)
  echo "${pids[$name]}" > "$RUN_DIR/$name.pid"
}

stop_all() {
  trap - EXIT INT TERM
  for name in "${servers[@]}"; do
    [ -n "${pids[$name]:-}" ] && kill "${pids[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -f "$RUN_DIR"/*.pid
}
trap stop_all EXIT
trap 'exit 0' INT TERM

for name in "${servers[@]}"; do start "$name"; done

echo "Starting (logs in $LOG_DIR/) ..."
ready=
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null && curl -sf "http://127.0.0.1:$ACTION_PORT/health" >/dev/null; then
    ready=1; break
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "Timed out waiting for the servers; see $LOG_DIR/." >&2
  tail -n 20 "$LOG_DIR"/*.log >&2
  exit 1
fi
token_note='in $RASA_API_TOKEN'
[ -z "${RASA_API_TOKEN:-}" ] && token_note="in $RASA_API_TOKEN_FILE (readable by you only)"
echo
# The demo page's widget talks to port 5005 unless told otherwise (web/demo.js: ?server=).
chat_url="http://localhost:$WEB_PORT/"
[ "$RASA_PORT" = 5005 ] || chat_url="http://localhost:$WEB_PORT/?server=http://localhost:$RASA_PORT"
echo "  Chat in the browser:  $chat_url"
echo "  REST channel:         http://localhost:$RASA_PORT/webhooks/rest/webhook"
echo "  HTTP API:             http://localhost:$RASA_PORT/  (token $token_note)"
echo "  Action server:        http://localhost:$ACTION_PORT/"
echo "  Clinic console:       http://localhost:$CONSOLE_PORT/  (accounts: make console-user NAME=<login> ROLE=viewer|clinician|admin)"
echo "  Metrics (Prometheus): http://127.0.0.1:$METRICS_PORT/metrics and http://127.0.0.1:$ACTION_METRICS_PORT/metrics"
echo "Press Ctrl+C to stop."

last_purge=0
while true; do
  for name in "${servers[@]}"; do
    pid=${pids[$name]}
    if ! kill -0 "$pid" 2>/dev/null; then
      code=0; wait "$pid" 2>/dev/null || code=$?
      # A server that ran for a minute had recovered: start counting failures again.
      if [ $(( $(date +%s) - ${started[$name]} )) -ge 60 ]; then failures[$name]=0; fi
      tries=$(( ${failures[$name]:-0} + 1 ))
      failures[$name]=$tries
      delay=30
      if [ "$tries" -le 5 ]; then delay=$(( 1 << (tries - 1) )); fi  # 1, 2, 4, 8, 16, then 30 s
      say "$name server stopped (exit code $code); restarting in ${delay}s (see $LOG_DIR/$name.log)"
      sleep "$delay"
      start "$name"
      say "$name server restarted (pid ${pids[$name]})"
    fi
  done
  # Retention: once a day, delete conversations older than RETENTION_DAYS.
  if [ $(( $(date +%s) - last_purge )) -ge 86400 ]; then
    last_purge=$(date +%s)
    (scripts/purge.sh >> "$LOG_DIR/supervisor.log" 2>&1 || say "retention purge failed (see $LOG_DIR/supervisor.log)") &
  fi
  sleep 1
done
