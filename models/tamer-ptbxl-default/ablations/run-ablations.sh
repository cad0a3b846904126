#!/usr/bin/env bash
# Trains and evaluates the ablations of the embedded default model with exactly its settings (batch 32, 20 epochs,
# seed 20240601, all other values the paper's), one switch at a time, and writes each one's zero-shot superclass
# evaluation on the held-out folds 9 and 10 next to this script. Run from the repository root:
#   models/tamer-ptbxl-default/ablations/run-ablations.sh [work folder, default /work/runs]
# Each ablation takes about 30 minutes on 2 CPU cores. Runs that finished are skipped on a second call.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
here="$root/models/tamer-ptbxl-default/ablations"
work=${1:-/work/runs}
dataset="$work/ptbxl-500-en"
cd "$root"
if [ ! -f "$dataset/manifest.json" ]; then
  bin/tamer-train build-dataset --source ptbxl --input ../shared/data/ptbxl --output "$dataset" --english-reports --shard-size 128
fi
for ablation in no-rlca no-wlai no-rgwr no-uecr no-rada no-spectrogram; do
  run="$work/ablation-$ablation"
  if [ ! -f "$here/$ablation/evaluation.json" ]; then
    bin/tamer-train pretrain --dataset "$dataset" --run "$run" --architecture paper --batch-size 32 --epochs 20 \
      --checkpoint-every 22 --seed 20240601 "--$ablation" $( [ -f "$run/run.json" ] && echo --resume )
    rm -rf "$work/bundle-$ablation"
    bin/tamer-train publish --run "$run" --output "$work/bundle-$ablation" --prompts ptbxl-super \
      --name "tamer-ptbxl-$ablation" --version 0.1.0
    bin/tamer-train evaluate --bundle "$work/bundle-$ablation" --dataset "$dataset" --split VALIDATION,TEST \
      --output "$here/$ablation" --bootstrap 1000
    cp "$run/train-log.jsonl" "$here/$ablation/training-log.jsonl"
  fi
done
