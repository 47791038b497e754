#!/usr/bin/env bash
# Regenerates resources/demo/backbone.safetensors: the demo CNN pretrained by
# this engine, with augmentation, on the five Fashion-MNIST classes the demo
# does not use (T-shirt/top, Trouser, Pullover, Dress, Coat), from Debian's
# dataset-fashion-mnist. The head is dropped: the demo trains a new one.
#   tools/make_demo_backbone.sh [BUILD_DIR]     (default: build/release; ~5 min on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
CLI="$BUILD/app/cli/finetune-cli"
WORK="$BUILD/demo-pretrain"
rm -rf "$WORK/run" "$WORK/bundle"
/usr/bin/python3 "$ROOT/tools/make_demo_data.py" --pretrain "$WORK"
"$CLI" train --model demo_cnn --data "$WORK/train-images-idx3-ubyte.gz" \
  --val "$WORK/val-images-idx3-ubyte.gz" --epochs 12 --batch-size 128 --augment light \
  --optimizer adamw --lr 3e-3 --weight-decay 5e-4 --scheduler cosine --seed 7 --out "$WORK/run"
"$CLI" export --run "$WORK/run" --out "$WORK/bundle"
PYTHONPATH="$ROOT/.cache/pydeps" /usr/bin/python3 - "$WORK/bundle/model.safetensors" \
  "$ROOT/resources/demo/backbone.safetensors" "$WORK/run/summary.json" <<'PY'
import json, sys
from safetensors.torch import load_file, save_file
src, dst, summary = sys.argv[1:4]
tensors = {k: v for k, v in load_file(src).items() if not k.startswith("fc.")}
acc = json.load(open(summary))["best_val_accuracy"]
save_file(tensors, dst, metadata={
    "architecture": "demo_cnn",
    "pretrained_on": "Fashion-MNIST T-shirt/top, Trouser, Pullover, Dress, Coat (30000 images, light augmentation)",
    "pretrain_val_accuracy": f"{acc:.4f}",
    "made_by": "tools/make_demo_backbone.sh"})
print(f"wrote {dst}: {len(tensors)} tensors, pretraining val accuracy {acc:.4f}")
PY
