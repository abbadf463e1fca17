#!/usr/bin/env bash
# Trains the model unless its inputs (config, domain, training data, pinned packages)
# are unchanged since the last one. The check is a hash kept beside the model, so an
# unchanged project starts without loading Rasa at all; Rasa's own fingerprinting
# still decides what to retrain when something did change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
model="$MODEL_DIR/$MODEL_NAME.tar.gz"
stamp="$MODEL_DIR/$MODEL_NAME.inputs.sha256"
inputs=$(find config.yml domain.yml data requirements.txt -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] && [ "$#" -eq 0 ]; then
  echo "Model is up to date: $model"
  exit 0
fi
"$VENV/bin/rasa" train --fixed-model-name "$MODEL_NAME" --out "$MODEL_DIR" "$@"
echo "$inputs" > "$stamp"
