#!/usr/bin/env bash
# NLU evaluation: 5-fold cross-validation of the chosen pipeline (config.yml) and of the
# alternative (evaluation/config_diet.yml), and both on the held-out phrasings
# (tests/nlu/holdout.yml). Reports land in results/; the summary is printed as
# Markdown for docs/evaluation.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
rasa="$VENV/bin/rasa"
mkdir -p results
for name in chosen diet; do
  config=config.yml; [ "$name" = diet ] && config=evaluation/config_diet.yml
  start=$(date +%s)
  "$rasa" test nlu --nlu data/nlu --config "$config" --cross-validation --folds 5 \
    --out "results/cv-$name" > "results/cv-$name.log" 2>&1 || { tail -30 "results/cv-$name.log"; exit 1; }
  echo "$name cross-validation: $(( $(date +%s) - start ))s" | tee "results/cv-$name/seconds.txt"
  start=$(date +%s)
  "$rasa" train nlu --nlu data/nlu --config "$config" --out "results/model-$name" --fixed-model-name nlu \
    > "results/train-$name.log" 2>&1
  echo "$name training: $(( $(date +%s) - start ))s" | tee "results/model-$name/seconds.txt"
  "$rasa" test nlu --nlu tests/nlu/holdout.yml --model "results/model-$name/nlu.tar.gz" \
    --out "results/holdout-$name" > "results/holdout-$name.log" 2>&1
done
"$VENV/bin/python" evaluation/report.py results
