#!/usr/bin/env bash
# The scale-out profile on one machine: PostgreSQL (conversations), Redis (per-conversation
# lock), N Rasa replicas, action server(s) and nginx in front, all on 127.0.0.1, data and
# logs under CLUSTER_DIR (var/cluster). docs/deploy.md explains the pieces.
#
#   scripts/cluster.sh up                 install what is missing, start everything, wait, print where
#   scripts/cluster.sh down               stop everything it started (data stays in CLUSTER_DIR)
#   scripts/cluster.sh status             what runs, where
#   scripts/cluster.sh install            only the Debian packages (postgresql, redis-server, nginx)
#   scripts/cluster.sh start|stop NAME    one part: postgres, redis, nginx, rasa-<i>, actions-<i>, purger
#   scripts/cluster.sh purge [--days N]   the retention purge (scripts/purge.sh) on the cluster's PostgreSQL
#                                         (the purger part runs it at start and then daily, as `make run` does)
#
# Settings (environment; `up` records them in CLUSTER_DIR/cluster.env for the other commands):
#   REPLICAS=2 ACTION_SERVERS=1 SANIC_WORKERS=1 and the ports of deploy/cluster.yml (CLUSTER_PORT=8000,
#   CLUSTER_ACTIONS_PORT=5150, CLUSTER_RASA_PORT=5105, CLUSTER_ACTION_PORT=5155, POSTGRES_PORT=5433, REDIS_PORT=6380)
#   CLUSTER_RATE_LIMIT=10 (requests/s per client address) RASA_API_TOKEN (generated if unset)
#   RETENTION_DAYS=30 PURGE_INTERVAL_SECONDS=86400 (read when the purger starts)
# None of the default ports is one of `make run`'s (5005, 5055, 8080): both can run at once.
# `up` refuses, before starting anything, when another program holds one of its ports, and a
# part counts as running only while the process listening on its port is the one started here.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
STATE="$CLUSTER_DIR/cluster.env"
# `up` takes the layout and ports from the environment (change them after `down`), but the
# passwords from the last run: the database was created with them. Every other command acts
# on what `up` started, with its settings.
if [ -f "$STATE" ]; then
  if [ "${1:-}" = up ]; then
    caller_token="${RASA_API_TOKEN:-}"
    eval "$(grep -E '^(POSTGRES_PASSWORD|POSTGRES_SUPERUSER_PASSWORD|REDIS_PASSWORD|RASA_API_TOKEN|TRACKER_ENCRYPTION_KEYS)=' "$STATE")"
    RASA_API_TOKEN="${caller_token:-$RASA_API_TOKEN}"
  else
    source "$STATE"
  fi
fi
# Services, ports and their defaults: deploy/cluster.yml, the one description of the cluster.
eval "$("$VENV/bin/python" "$ROOT/scripts/cluster_spec.py" shell)"
ACTION_SERVERS="${ACTION_SERVERS:-1}"
SANIC_WORKERS="${SANIC_WORKERS:-1}"
CLUSTER_RATE_LIMIT="${CLUSTER_RATE_LIMIT:-10}"
RUN="$CLUSTER_DIR/run"
LOG="$CLUSTER_DIR/log"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
PG_DATA="$CLUSTER_DIR/postgres"

say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

install_packages() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nginx >/dev/null || missing+=(nginx)
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  say "installing ${missing[*]} (Debian packages)"
  local started; started=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # policy-rc.d 101: the packages must not start their system-wide services; ours run here.
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ -z "$created" ] || $sudo rm -f "$policy"; exit 1; }
  [ -z "$created" ] || $sudo rm -f "$policy"
  say "installed ${missing[*]} in $(( $(date +%s) - started ))s"
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
}

# PostgreSQL refuses to run as root: then it runs as the `postgres` system user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
postgres_user() { id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres; }
pg_owner() {
  if [ "$(id -u)" -ne 0 ]; then return 0; fi
  postgres_user
  chown -R postgres: "$@"
}

# Every part that listens: "part port setting", from deploy/cluster.yml's local_ports.
part_ports() {
  local setting service_var count_var count i
  for setting in $PORT_SETTINGS; do
    service_var="PORT_SERVICE_$setting"; count_var="PORT_COUNT_$setting"; count="${!count_var}"
    if [ -n "$count" ]; then
      for i in $(seq 1 "${!count}"); do echo "${!service_var}-$i $(( ${!setting} + i - 1 )) $setting"; done
    else
      echo "${!service_var} ${!setting} $setting"
    fi
  done
}
part_pid() {
  if [ "$1" = postgres ]; then head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true; else cat "$RUN/$1.pid" 2>/dev/null || true; fi
}
part_started() { local pid; pid=$(part_pid "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
# Whether the process listening on the port is the one started for this part (or its child).
owns_port() { local pid; pid=$(part_pid "$1"); [ -n "$pid" ] && "$VENV/bin/python" "$ROOT/scripts/ports.py" owned "$pid" "$2" 2>/dev/null; }

# Before anything starts: every port of a part not already running here must be free.
check_ports() {
  local part port setting wanted=() problems=() held pid command
  declare -A part_of=() setting_of=()
  while read -r part port setting; do
    part_started "$part" && continue
    wanted+=("$port"); part_of[$port]=$part; setting_of[$port]=$setting
  done < <(part_ports)
  [ "${#wanted[@]}" -gt 0 ] || return 0
  held=$("$VENV/bin/python" "$ROOT/scripts/ports.py" taken "${wanted[@]}")
  [ -n "$held" ] || return 0
  while read -r port pid command; do
    [ "$pid" = "?" ] && pid="a process this user cannot see" || pid="pid $pid: $command"
    problems+=("port $port (${part_of[$port]}, ${setting_of[$port]}) is taken by another program ($pid)")
  done <<< "$held"
  printf 'cluster: %s\n' "${problems[@]}" >&2
  die "nothing started. Stop that program, or choose other ports, e.g. ${setting_of[${held%% *}]}=$(( ${held%% *} + 1000 )) make cluster"
}

# The part answered on its port: make sure it is our process, not another program that took the port.
check_owner() {  # part port
  owns_port "$1" "$2" && return 0
  local holders; holders=$("$VENV/bin/python" "$ROOT/scripts/ports.py" owned "$(part_pid "$1")" "$2" 2>&1 || true)
  die "$1 did not start: port $2 is held by another program ($holders), not by the $1 started here (pid $(part_pid "$1")); stop it with \`make cluster-down\` and free the port"
}

# As root, PostgreSQL runs as the `postgres` user, which must be able to enter CLUSTER_DIR.
# `make run` leaves var/ at 0700: directories of this checkout on the way get traverse-only
# access (o+x; their files keep their own modes). Outside the checkout that is for you to decide.
reachable_by_postgres() {
  [ "$(id -u)" -eq 0 ] || return 0
  local dir="$CLUSTER_DIR" dirs=()
  while [ "$dir" != / ]; do dirs=("$dir" "${dirs[@]}"); dir=$(dirname "$dir"); done
  for dir in "${dirs[@]}"; do
    runuser -u postgres -- test -x "$dir" && continue
    if [ "$dir" = "$ROOT" ] || [[ "$dir" == "$ROOT"/* ]]; then
      chmod o+x "$dir"
      say "made $dir enterable (o+x) for PostgreSQL, which runs as the postgres user"
    else
      die "PostgreSQL runs as the postgres user, which cannot enter $dir: run \`chmod o+x $dir\` or set CLUSTER_DIR to a directory it can reach (e.g. CLUSTER_DIR=/var/lib/backpain-cluster)"
    fi
  done
}

secret() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))'; }

write_state() {
  mkdir -p "$CLUSTER_DIR" "$RUN" "$LOG"
  chmod 755 "$CLUSTER_DIR"
  chmod go+x "$LOG"  # PostgreSQL (the postgres user, as root) writes its log there
  if [ "$(id -u)" -eq 0 ]; then postgres_user; reachable_by_postgres; fi
  [ -n "${POSTGRES_PASSWORD:-}" ] || POSTGRES_PASSWORD=$(secret)
  [ -n "${POSTGRES_SUPERUSER_PASSWORD:-}" ] || POSTGRES_SUPERUSER_PASSWORD=$(secret)
  [ -n "${REDIS_PASSWORD:-}" ] || REDIS_PASSWORD=$(secret)
  [ -n "${RASA_API_TOKEN:-}" ] || RASA_API_TOKEN=$(secret)
  # The stored conversations' text is encrypted in this profile (addons/encryption.py); the key
  # is kept with the passwords: without it the database cannot be read.
  [ -n "${TRACKER_ENCRYPTION_KEYS:-}" ] || TRACKER_ENCRYPTION_KEYS=$("$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
  (umask 077; cat > "$STATE" <<EOF
# Written by scripts/cluster.sh up; read by its other commands and by the tests.
REPLICAS=$REPLICAS
ACTION_SERVERS=$ACTION_SERVERS
SANIC_WORKERS=$SANIC_WORKERS
CLUSTER_PORT=$CLUSTER_PORT
CLUSTER_RASA_PORT=$CLUSTER_RASA_PORT
CLUSTER_ACTION_PORT=$CLUSTER_ACTION_PORT
CLUSTER_ACTIONS_PORT=$CLUSTER_ACTIONS_PORT
CLUSTER_RATE_LIMIT=$CLUSTER_RATE_LIMIT
POSTGRES_PORT=$POSTGRES_PORT
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
POSTGRES_SUPERUSER_PASSWORD=$POSTGRES_SUPERUSER_PASSWORD
REDIS_PORT=$REDIS_PORT
REDIS_PASSWORD=$REDIS_PASSWORD
RASA_API_TOKEN=$RASA_API_TOKEN
TRACKER_ENCRYPTION_KEYS=$TRACKER_ENCRYPTION_KEYS
EOF
  )
}

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

wait_http() {  # url name pidname [seconds]
  local deadline=$(( $(date +%s) + ${4:-300} ))
  until curl -sf -o /dev/null "$1"; do
    if [ -n "$3" ] && ! alive "$3"; then tail -n 30 "$LOG/$2.log" >&2 || true; die "$2 stopped while starting; see $LOG/$2.log"; fi
    [ "$(date +%s)" -lt "$deadline" ] || die "$2 did not answer at $1 in time; see $LOG/$2.log"
    sleep 0.5
  done
}

# Long-running servers run in their own session (setsid): Ctrl+C on `make cluster` or the
# terminal closing does not stop them, and `stop` ends the whole process group (Sanic workers too).
spawn() {  # name command...
  local name=$1; shift
  setsid "$@" > "$LOG/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

start_postgres() {
  if [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then return 0; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    local pwfile="$CLUSTER_DIR/.pgpass-init"
    (umask 077; echo "$POSTGRES_SUPERUSER_PASSWORD" > "$pwfile")
    pg_owner "$PG_DATA" "$pwfile"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
      -E UTF8 --no-locale > "$LOG/postgres-init.log" 2>&1 || { rm -f "$pwfile"; cat "$LOG/postgres-init.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    # TCP on loopback only, no Unix socket (its default directory belongs to the system's PostgreSQL).
    printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n" >> "$PG_DATA/postgresql.conf"
    local fresh=1
  fi
  touch "$LOG/postgres.log"; pg_owner "$LOG/postgres.log"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG/postgres.log" -o "-p $POSTGRES_PORT" -w -t 60 start >/dev/null \
    || { tail -n 20 "$LOG/postgres.log" >&2; die "PostgreSQL did not start"; }
  if [ -n "${fresh:-}" ]; then
    PGPASSWORD="$POSTGRES_SUPERUSER_PASSWORD" psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres \
      -c "CREATE ROLE rasa LOGIN PASSWORD '$POSTGRES_PASSWORD'" -c "CREATE DATABASE rasa OWNER rasa" >/dev/null
  fi
  # The clinic console's feed (addons/event_feed.py): its own database, also in a cluster made
  # before it existed.
  if ! PGPASSWORD="$POSTGRES_SUPERUSER_PASSWORD" psql -qtA -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres \
      -c "SELECT 1 FROM pg_database WHERE datname = 'rasa_events'" | grep -q 1; then
    PGPASSWORD="$POSTGRES_SUPERUSER_PASSWORD" psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres \
      -c "CREATE DATABASE rasa_events OWNER rasa" >/dev/null
  fi
}
stop_postgres() {
  [ -f "$PG_DATA/postmaster.pid" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

start_redis() {
  alive redis && return 0
  mkdir -p "$CLUSTER_DIR/redis"
  # Locks only live for a turn: nothing to persist. The password stays out of `ps`.
  (umask 077; cat > "$CLUSTER_DIR/redis/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
requirepass $REDIS_PASSWORD
dir $CLUSTER_DIR/redis
save ""
appendonly no
daemonize no
EOF
  )
  spawn redis redis-server "$CLUSTER_DIR/redis/redis.conf"
  local deadline=$(( $(date +%s) + 30 ))
  until REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
    alive redis || { cat "$LOG/redis.log" >&2; die "Redis did not start"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "Redis did not answer"
    sleep 0.2
  done
}

stop_pid() {  # name...: TERM each process group, then KILL what is left after 30 s
  local name pid pids=()
  for name in "$@"; do
    if alive "$name"; then
      pid=$(cat "$RUN/$name.pid"); pids+=("$pid")
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}

rasa_env() {
  export ACTION_ENDPOINT_URL="http://127.0.0.1:$CLUSTER_ACTIONS_PORT/webhook"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT POSTGRES_DB=rasa EVENTS_POSTGRES_DB=rasa_events POSTGRES_USER=rasa POSTGRES_PASSWORD
  export REDIS_HOST=127.0.0.1 REDIS_PORT REDIS_DB=0 REDIS_PASSWORD
  # socket.io emits (a check-in for a socket another replica holds) go through Redis (addons/channels/socketio.py).
  export SOCKETIO_REDIS_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0"
  export SANIC_WORKERS TRACKER_ENCRYPTION_KEYS PROFILE=cluster
  export CORS_ORIGINS="http://127.0.0.1:$CLUSTER_PORT http://localhost:$CLUSTER_PORT"
  # nginx sets X-Forwarded-For to the client's address; Sanic then reports it as remote_addr,
  # and the channel guard counts each client by it (TRUST_PROXY). nginx already limits each
  # client (10 requests/s); the guard's per-address limit stays as a second line.
  # shellcheck disable=SC2163,SC2086  # deploy/cluster.yml's env for Rasa: SANIC_PROXIES_COUNT=1 ...
  export $SPEC_RASA_ENV
  export TRUST_PROXY=1
  export RATE_LIMIT_PER_ADDRESS="${RATE_LIMIT_PER_ADDRESS:-600/60}"
}

start_rasa() {  # replica number
  local name="rasa-$1" port=$(( CLUSTER_RASA_PORT + $1 - 1 ))
  alive "$name" && return 0
  rasa_env
  # The one launcher (scripts/server.sh): the token stays out of the process list, logs are redacted.
  # Metrics (addons/metrics.py): replica i on METRICS_PORT + 2(i-1), action server i on
  # ACTION_METRICS_PORT + 2(i-1) (9105, 9107, ... and 9106, 9108, ...), loopback only.
  RASA_API_TOKEN="$RASA_API_TOKEN" RASA_HOST=127.0.0.1 RASA_PORT="$port" ENDPOINTS="$ROOT/$SPEC_ENDPOINTS" \
    METRICS_PORT=$(( ${METRICS_PORT:-9105} + 2 * ($1 - 1) )) spawn "$name" "$ROOT/scripts/server.sh" rasa
}

# The retention purge at start and then daily, as `make run` does (scripts/serve.sh). A failed
# purge is logged and tried again the next day; the conversations stay until one succeeds.
# PURGE_INTERVAL_SECONDS (default a day) is read when the purger starts.
start_purger() {
  local interval="${PURGE_INTERVAL_SECONDS:-86400}"
  [[ "$interval" =~ ^[1-9][0-9]*$ ]] || die "PURGE_INTERVAL_SECONDS must be a whole number of seconds"
  alive purger && return 0
  spawn purger bash -c 'while :; do
      date -u "+%F %T retention purge:"; "$0" purge || echo "retention purge failed; trying again in $1 s"
      sleep "$1"
    done' "$ROOT/scripts/cluster.sh" "$interval"
}

start_actions() {  # action server number
  local name="actions-$1" port=$(( CLUSTER_ACTION_PORT + $1 - 1 ))
  alive "$name" && return 0
  ACTION_HOST=127.0.0.1 ACTION_PORT="$port" ACTION_METRICS_PORT=$(( ${ACTION_METRICS_PORT:-9106} + 2 * ($1 - 1) )) \
    spawn "$name" "$ROOT/scripts/server.sh" actions
}

render_nginx() {
  local servers="" actions="" user=""
  for i in $(seq 1 "$REPLICAS"); do servers+="        server 127.0.0.1:$(( CLUSTER_RASA_PORT + i - 1 )) max_fails=1 fail_timeout=10s;"$'\n'; done
  for i in $(seq 1 "$ACTION_SERVERS"); do actions+="        server 127.0.0.1:$(( CLUSTER_ACTION_PORT + i - 1 )) max_fails=1 fail_timeout=10s;"$'\n'; done
  local web_root="$ROOT/web"
  mkdir -p "$CLUSTER_DIR/nginx"
  # As root, nginx's workers run as nobody: they only need to read web/. A checkout nobody
  # cannot reach (one under a private temporary directory) gets its static files served
  # from a copy beside the cluster's data, which must be reachable anyway (PostgreSQL).
  if [ "$(id -u)" -eq 0 ]; then
    user="user nobody nogroup;"
    if ! runuser -u nobody -- test -r "$web_root/index.html" 2>/dev/null; then
      web_root="$CLUSTER_DIR/nginx/web"
      rm -rf "$web_root" && mkdir -p "$web_root"
      tar -C "$ROOT/web" --exclude=./node_modules -cf - . | tar -C "$web_root" -xf -
      chmod -R a+rX "$web_root"
    fi
  fi
  SERVERS="$servers" ACTIONS="$actions" NGINX_USER="$user" WEB_ROOT="$web_root" "$VENV/bin/python" - "$ROOT/deploy/nginx/cluster.conf.template" <<'PY' > "$CLUSTER_DIR/nginx/nginx.conf"
import os, sys
text = open(sys.argv[1]).read()
values = {"DIR": os.environ["CLUSTER_DIR"], "USER": os.environ["NGINX_USER"], "RATE": os.environ["CLUSTER_RATE_LIMIT"],
          "RASA_SERVERS": os.environ["SERVERS"].rstrip("\n"), "ACTION_SERVERS": os.environ["ACTIONS"].rstrip("\n"),
          "PORT": os.environ["CLUSTER_PORT"], "ACTIONS_PORT": os.environ["CLUSTER_ACTIONS_PORT"],
          "WEB_ROOT": os.environ["WEB_ROOT"],
          "LOCATIONS": os.path.join(os.environ["ROOT"], "deploy", "nginx", "backpain-locations.conf")}
for key, value in values.items():
    text = text.replace(f"@@{key}@@", value)
assert "@@" not in text, "unrendered placeholder in nginx template"
sys.stdout.write(text)
PY
}
nginx_cmd() { nginx -p "$CLUSTER_DIR/nginx" -c "$CLUSTER_DIR/nginx/nginx.conf" -e "$LOG/nginx-error.log" "$@"; }
start_nginx() {
  alive nginx && return 0
  export CLUSTER_DIR ROOT CLUSTER_RATE_LIMIT CLUSTER_PORT CLUSTER_ACTIONS_PORT
  render_nginx
  nginx_cmd -t -q || die "nginx configuration rejected (see above)"
  nginx_cmd
  for _ in $(seq 1 50); do [ -s "$RUN/nginx.pid" ] && break; sleep 0.1; done
  alive nginx || die "nginx did not start; see $LOG/nginx-error.log"
}
stop_nginx() {
  alive nginx || return 0
  local pid; pid=$(cat "$RUN/nginx.pid")
  nginx_cmd -s quit 2>/dev/null || kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN/nginx.pid"
}

start_one() {
  case "$1" in
    postgres) start_postgres; check_owner postgres "$POSTGRES_PORT" ;;
    redis) start_redis; check_owner redis "$REDIS_PORT" ;;
    nginx) start_nginx; check_owner nginx "$CLUSTER_PORT"; check_owner nginx "$CLUSTER_ACTIONS_PORT" ;;
    rasa-*) start_rasa "${1#rasa-}"; wait_http "http://127.0.0.1:$(( CLUSTER_RASA_PORT + ${1#rasa-} - 1 ))/" "$1" "$1"
      check_owner "$1" $(( CLUSTER_RASA_PORT + ${1#rasa-} - 1 )) ;;
    actions-*) start_actions "${1#actions-}"; wait_http "http://127.0.0.1:$(( CLUSTER_ACTION_PORT + ${1#actions-} - 1 ))/health" "$1" "$1"
      check_owner "$1" $(( CLUSTER_ACTION_PORT + ${1#actions-} - 1 )) ;;
    purger) start_purger ;;
    *) die "unknown part: $1 (postgres, redis, nginx, rasa-<i>, actions-<i>, purger)" ;;
  esac
}
stop_one() {
  case "$1" in
    postgres) stop_postgres ;;
    nginx) stop_nginx ;;
    redis|rasa-*|actions-*|purger) stop_pid "$1" ;;
    *) die "unknown part: $1 (postgres, redis, nginx, rasa-<i>, actions-<i>, purger)" ;;
  esac
}

up() {
  [ -f "$MODEL_DIR/$MODEL_NAME.tar.gz" ] || die "no trained model: run scripts/train.sh (or make train) first"
  [ "$SANIC_WORKERS" -ge 1 ] || die "SANIC_WORKERS must be 1 or more"
  local started; started=$(date +%s)
  check_ports
  install_packages
  write_state
  start_postgres
  start_redis
  say "PostgreSQL on 127.0.0.1:$POSTGRES_PORT, Redis on 127.0.0.1:$REDIS_PORT (data in $CLUSTER_DIR)"
  for i in $(seq 1 "$ACTION_SERVERS"); do start_actions "$i"; done
  # The replicas load in parallel; Rasa itself copes with several creating the tables at once.
  for i in $(seq 1 "$REPLICAS"); do start_rasa "$i"; done
  start_nginx
  for i in $(seq 1 "$ACTION_SERVERS"); do wait_http "http://127.0.0.1:$(( CLUSTER_ACTION_PORT + i - 1 ))/health" "actions-$i" "actions-$i"; done
  for i in $(seq 1 "$REPLICAS"); do wait_http "http://127.0.0.1:$(( CLUSTER_RASA_PORT + i - 1 ))/" "rasa-$i" "rasa-$i"; done
  wait_http "http://127.0.0.1:$CLUSTER_PORT/" nginx-error nginx 30
  local part port setting
  while read -r part port setting; do check_owner "$part" "$port"; done < <(part_ports)
  start_purger
  say "up in $(( $(date +%s) - started ))s: $REPLICAS Rasa replica(s) x $SANIC_WORKERS worker(s), $ACTION_SERVERS action server(s)"
  status
}

down() {
  stop_pid purger
  stop_nginx
  # shellcheck disable=SC2046  # one name per pid file
  stop_pid $(cd "$RUN" 2>/dev/null && ls rasa-*.pid actions-*.pid 2>/dev/null | sed 's/\.pid$//')
  stop_pid redis
  stop_postgres
  say "stopped (conversations kept in $PG_DATA; \`make clean\` removes them)"
}

status() {
  local state
  declare -A port_of=()
  local name port setting
  while read -r name port setting; do port_of[$name]="${port_of[$name]:-} $port"; done < <(part_ports)
  # running: started here and, for a part with ports, listening on each of them itself.
  part() {
    state=stopped
    if part_started "$1"; then
      state=running
      for port in ${port_of[$1]:-}; do
        owns_port "$1" "$port" && continue
        if [ -n "$("$VENV/bin/python" "$ROOT/scripts/ports.py" taken "$port")" ]; then state="CONFLICT(another program holds $port)"; else state=starting; fi
      done
    fi
    printf '  %-22s %-8s %s\n' "$1" "$state" "$2"
  }
  echo
  echo "  Chat in the browser:   http://127.0.0.1:$CLUSTER_PORT/?server=http://127.0.0.1:$CLUSTER_PORT"
  echo "  REST channel:          http://127.0.0.1:$CLUSTER_PORT/webhooks/rest/webhook"
  echo "  HTTP API (internal):   each replica below, with ?token=\$RASA_API_TOKEN (in $STATE)"
  echo
  part nginx "127.0.0.1:$CLUSTER_PORT (public), 127.0.0.1:$CLUSTER_ACTIONS_PORT (actions, internal)"
  for i in $(seq 1 "$REPLICAS"); do part "rasa-$i" "http://127.0.0.1:$(( CLUSTER_RASA_PORT + i - 1 ))"; done
  for i in $(seq 1 "$ACTION_SERVERS"); do part "actions-$i" "http://127.0.0.1:$(( CLUSTER_ACTION_PORT + i - 1 ))"; done
  part postgres "127.0.0.1:$POSTGRES_PORT db rasa"
  part redis "127.0.0.1:$REDIS_PORT"
  part purger "retention purge (RETENTION_DAYS), at start and then daily"
  echo "  Logs: $LOG/   Stop: make cluster-down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  install) install_packages ;;
  start) [ -n "${2:-}" ] || die "start what?"; start_one "$2" ;;
  stop) [ -n "${2:-}" ] || die "stop what?"; stop_one "$2" ;;
  purge) shift; rasa_env; ENDPOINTS="$ROOT/$SPEC_ENDPOINTS" exec "$ROOT/scripts/purge.sh" "$@" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
