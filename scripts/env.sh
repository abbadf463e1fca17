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
# An address, not a name: Rasa opens a new connection per action call, and "localhost"
# would be looked up each time.
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DB="${TRACKER_DB:-$ROOT/var/tracker.db}"
export CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}"
export CREDENTIALS="${CREDENTIALS:-$ROOT/credentials.yml}"
export ENDPOINTS="${ENDPOINTS:-$ROOT/endpoints.yml}"
MODEL_DIR="${MODEL_DIR:-$ROOT/models}"
MODEL_NAME="${MODEL_NAME:-backpain}"
