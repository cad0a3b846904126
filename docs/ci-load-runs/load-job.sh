#!/usr/bin/env bash
# The CPU-bound job beside the loaded .ci/runs of issue 24: paper-architecture pre-training on PTB-XL 1-500
# (both cores through PyTorch's intra-op threads), plus a load-average sampler.
cd /work/main || exit 1
TAMER_JAVA_OPTS=-Xmx4g bin/tamer-train pretrain --dataset /work/runs/load/ptbxl --run /work/runs/load/run-paper \
    --batch-size 64 --checkpoint-every 20 > /work/runs/load/pretrain.log 2>&1
echo "pretrain exit $?" >> /work/runs/load/pretrain.log
