#!/usr/bin/env bash
# Seconds from `make run` to both servers answering (run it twice: the second start
# reuses the venv and the trained model). Stops the servers afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
start=$(date +%s%N)
setsid make run > var/bench-start.log 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT
until grep -q "Press Ctrl+C to stop" var/bench-start.log 2>/dev/null; do
  kill -0 $pid 2>/dev/null || { cat var/bench-start.log; exit 1; }
  sleep 0.2
done
echo "make run ready after $(( ($(date +%s%N) - start) / 1000000 )) ms"
