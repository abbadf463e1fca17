#!/usr/bin/env bash
# Trains the model unless data, config and domain are unchanged since the last one
# (Rasa's own fingerprinting keeps the old model then, in seconds).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$VENV/bin/rasa" train --fixed-model-name "$MODEL_NAME" --out "$MODEL_DIR" "$@"
