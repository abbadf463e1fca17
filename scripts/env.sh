# Shared settings for the project's scripts; sourced, not run.
# Every value can be overridden from the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"
# Both servers listen on the loopback interface only; put a proxy in front for the outside
# (docs/security.md). RASA_HOST=0.0.0.0 / ACTION_HOST=0.0.0.0 listen everywhere.
export RASA_HOST="${RASA_HOST:-127.0.0.1}"
export ACTION_HOST="${ACTION_HOST:-127.0.0.1}"
# An address, not a name: Rasa opens a new connection per action call, and "localhost"
# would be looked up each time.
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DB="${TRACKER_DB:-$ROOT/var/tracker.db}"
export CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}"
# The HTTP API token: RASA_API_TOKEN if set, else this file (make run creates it, 0600).
export RASA_API_TOKEN_FILE="${RASA_API_TOKEN_FILE:-$ROOT/var/api-token}"
export LOG_DIR="${LOG_DIR:-$ROOT/var/log}"
export RUN_DIR="${RUN_DIR:-$ROOT/var/run}"
# Conversations older than this many days are deleted by `make purge` (and daily by make run).
export RETENTION_DAYS="${RETENTION_DAYS:-30}"
# A message waiting for its conversation's lock is dropped (LockError) once its ticket is
# older than this: keep it above the slowest possible turn (see docs/security.md).
export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-900}"
export CREDENTIALS="${CREDENTIALS:-$ROOT/credentials.yml}"
export ENDPOINTS="${ENDPOINTS:-$ROOT/endpoints.yml}"
MODEL_DIR="${MODEL_DIR:-$ROOT/models}"
MODEL_NAME="${MODEL_NAME:-backpain}"
# The clinic console (console/, docs/console.md): its feed, Rasa's SQL event broker, writes
# to a database of its own; the console and the staff accounts' database, loopback only.
export EVENTS_DB="${EVENTS_DB:-$ROOT/var/events.db}"
export CONSOLE_DB="${CONSOLE_DB:-$ROOT/var/console.db}"
export CONSOLE_HOST="${CONSOLE_HOST:-127.0.0.1}"
export CONSOLE_PORT="${CONSOLE_PORT:-8090}"
# Prometheus metrics (addons/metrics.py), loopback only, never behind the public proxy.
export METRICS_PORT="${METRICS_PORT:-9105}"
export ACTION_METRICS_PORT="${ACTION_METRICS_PORT:-9106}"
