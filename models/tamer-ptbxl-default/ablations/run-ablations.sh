#!/usr/bin/env bash
# Trains and evaluates the ablations of the embedded default model, one switch at a time, with the default model's
# settings (all other values the paper's, seed 20240601), and writes each one's zero-shot superclass evaluation on
# the held-out folds 9 and 10 next to this script, in batch<B>-epochs<E>/<ablation>/. Run from the repository root:
#   models/tamer-ptbxl-default/ablations/run-ablations.sh [batch size, default 64] [epochs, default 50] [work folder, default /work/runs]
# batch32-epochs20/ holds the ablations of model 0.1.0 (about 30 minutes each); at batch 64 and 50 epochs each takes
# about an hour on 2 CPU cores. Finished ablations are skipped and interrupted ones resumed on a second call.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
batch=${1:-64}
epochs=${2:-50}
work=${3:-/work/runs}
here="$root/models/tamer-ptbxl-default/ablations/batch$batch-epochs$epochs"
dataset="$work/ptbxl-500-en"
cd "$root"
if [ ! -f "$dataset/manifest.json" ]; then
  bin/tamer-train build-dataset --source ptbxl --input ../shared/data/ptbxl --output "$dataset" --english-reports --shard-size 128
fi
for ablation in no-rlca no-wlai no-rgwr no-uecr no-rada no-spectrogram; do
  run="$work/ablation-b$batch-e$epochs-$ablation"
  if [ ! -f "$here/$ablation/evaluation.json" ]; then
    bin/tamer-train pretrain --dataset "$dataset" --run "$run" --architecture paper --batch-size "$batch" \
      --epochs "$epochs" --checkpoint-every 30 --seed 20240601 "--$ablation" $( [ -f "$run/run.json" ] && echo --resume )
    rm -rf "$work/bundle-b$batch-e$epochs-$ablation"
    bin/tamer-train publish --run "$run" --output "$work/bundle-b$batch-e$epochs-$ablation" --prompts ptbxl-super \
      --name "tamer-ptbxl-$ablation" --version 0.2.0
    mkdir -p "$here"
    bin/tamer-train evaluate --bundle "$work/bundle-b$batch-e$epochs-$ablation" --dataset "$dataset" \
      --split VALIDATION,TEST --output "$here/$ablation" --bootstrap 1000
    cp "$run/train-log.jsonl" "$here/$ablation/training-log.jsonl"
  fi
done
