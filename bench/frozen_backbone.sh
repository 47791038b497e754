#!/usr/bin/env bash
# Real-size check of fine-tuning with a frozen backbone:
#   a generated ImageFolder of 300 JPEGs (256x256, 3 classes) plus 3 broken
#   files, a torchvision ResNet-18 state dict written by Debian's torch, and
#   `finetune-cli train --freeze backbone` at 224 px. Then checks that the
#   broken files are listed as skipped and that every backbone tensor
#   (BatchNorm statistics included) is bit-identical after training.
#   bench/frozen_backbone.sh [BUILD_DIR]     (default: build/release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
CLI="$BUILD/app/cli/finetune-cli"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export PYTHONPATH="$ROOT/.cache/pydeps"

/usr/bin/python3 - "$WORK" <<'PY'
import os, sys, numpy as np, torch, torchvision
from PIL import Image
work = sys.argv[1]
rng = np.random.default_rng(0)
for c, tint in enumerate([(190, 60, 50), (60, 160, 70), (70, 90, 200)]):
    d = f"{work}/data/class_{c}"
    os.makedirs(d)
    for i in range(100):
        y, x = np.mgrid[0:256, 0:256]
        base = np.array(tint)[None, None, :] * (0.6 + 0.4 * np.sin((x + 7 * i) / (9 + c * 5)))[..., None]
        img = np.clip(base + rng.normal(0, 25, (256, 256, 3)), 0, 255).astype(np.uint8)
        Image.fromarray(img).save(f"{d}/{i:03d}.jpg", quality=88)
open(f"{work}/data/class_0/readme.jpg", "w").write("not an image")
open(f"{work}/data/class_1/empty.png", "w").close()
good = open(f"{work}/data/class_2/000.jpg", "rb").read()
open(f"{work}/data/class_2/cut.jpg", "wb").write(good[:100])
torch.manual_seed(0)
torch.save(torchvision.models.resnet18().state_dict(), f"{work}/resnet18.pth")
PY

start=$(date +%s.%N)
"$CLI" train --model resnet18 --weights "$WORK/resnet18.pth" --data "$WORK/data" --val-split 0.2 \
  --freeze backbone --epochs 2 --batch-size 32 --lr 0.01 --out "$WORK/run"
end=$(date +%s.%N)

/usr/bin/python3 - "$WORK" "$start" "$end" <<'PY'
import json, sys, torch
from safetensors.torch import load_file
work, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
summary = json.load(open(f"{work}/run/summary.json"))
print(f"status {summary['status']}, {summary['train_images']} train + {summary['val_images']} val images, "
      f"best val accuracy {summary['best_val_accuracy']:.3f}, {summary['images_per_second']:.1f} img/s, "
      f"wall {end - start:.1f} s")
for s in summary["skipped_files"]:
    print(f"skipped: {s['path']}: {s['reason']}")
before = torch.load(f"{work}/resnet18.pth")
after = load_file(f"{work}/run/best.safetensors")
backbone = [k for k in before if not k.startswith("fc.")]
same = [k for k in backbone if torch.equal(before[k], after[k])]
print(f"backbone tensors bit-identical after training: {len(same)} of {len(backbone)}")
assert len(same) == len(backbone) and len(summary["skipped_files"]) == 3
PY
