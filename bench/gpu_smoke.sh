#!/usr/bin/env bash
# First CUDA check on a lent GPU machine (see the device tool's README): builds
# the engine + CLI against that machine's PyTorch (torch.utils.cmake_prefix_path)
# with the header-only dependencies carried in .cache/gpu-deps (nlohmann-json,
# CLI11, zlib headers: copy them from a Debian machine), then runs
#   1. the bundled demo (device auto -> cuda),
#   2. a ResNet-18 full fine-tune on synthetic CIFAR-style data at 224 px, fp32,
#   3. the same model's training step in PyTorch on tensors already on the GPU
#      (compute only: an upper bound for any pipeline).
# Writes logs to $OUT (or ./gpu-out). Prepare the carried headers once, here:
#   mkdir -p .cache/gpu-deps/include .cache/gpu-deps/share/cmake
#   cp -r /usr/include/nlohmann /usr/include/CLI /usr/include/zlib.h /usr/include/zconf.h .cache/gpu-deps/include/
#   cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 .cache/gpu-deps/share/cmake/
# and pass carry [".cache/gpu-deps"] to the device tool. Measured on an H200
# (LibTorch 2.11 + CUDA 13): demo 0.853 in 3.5 s; ResNet-18 1586 img/s through
# the engine vs 4746 img/s for PyTorch's step on GPU-resident tensors.
set -uo pipefail
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
DEPS="$PWD/.cache/gpu-deps"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
for t in cmake ninja g++ python3; do printf '%s: ' "$t"; command -v "$t" || echo missing; done
PY=python3
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.is_available())" || exit 1
TORCH_PREFIX=$($PY -c 'import torch; print(torch.utils.cmake_prefix_path)')
GEN="-G Ninja"; command -v ninja > /dev/null || GEN=""
ZLIB_ARGS=""
if [ ! -f /usr/include/zlib.h ]; then
  LIBZ=$(ls /usr/lib/x86_64-linux-gnu/libz.so* /lib/x86_64-linux-gnu/libz.so* 2>/dev/null | head -1)
  ZLIB_ARGS="-DZLIB_INCLUDE_DIR=$DEPS/include -DZLIB_LIBRARY=$LIBZ"
fi
start=$(date +%s)
cmake -S . -B build/gpu $GEN -DCMAKE_BUILD_TYPE=Release -DFTS_BUILD_GUI=OFF -DFTS_WITH_OPENCV=OFF \
  -DFTS_BUILD_TESTS=OFF "-DCMAKE_PREFIX_PATH=$TORCH_PREFIX;$DEPS" $ZLIB_ARGS > "$OUT/configure.txt" 2>&1 \
  || { tail -30 "$OUT/configure.txt"; exit 1; }
cmake --build build/gpu -j "$(nproc)" > "$OUT/build.txt" 2>&1 || { grep -B2 -A6 "error" "$OUT/build.txt" | head -60; exit 1; }
echo "configure + build: $(( $(date +%s) - start )) s"
CLI=build/gpu/app/cli/finetune-cli
$CLI --version

echo "== 1. demo (device auto)"
/usr/bin/time -f "demo wall %e s" $CLI demo --out "$OUT/demo" | tail -4
grep -o '"device": *"[^"]*"' "$OUT/demo/config.json"

echo "== 2. resnet18 full fine-tune, synthetic 32x32 data resized to 224, fp32"
$PY - <<'PY'
import os, random
random.seed(0)
os.makedirs("synth", exist_ok=True)
with open("synth/data_batch_1.bin", "wb") as f:
    for i in range(6400):
        f.write(bytes([i % 10]) + os.urandom(3072))
PY
/usr/bin/time -f "resnet18 wall %e s" $CLI train --model resnet18 --data synth --val-split 0.1 --image-size 224 \
  --epochs 2 --batch-size 64 --augment none --optimizer adamw --lr 1e-3 --device cuda --out "$OUT/r18" | tail -4
$PY -c "import json; s=json.load(open('$OUT/r18/summary.json')); print('engine resnet18 train img/s (incl. data pipeline):', round(s['images_per_second'],1), s['status'], s['error'])"

echo "== 3. PyTorch reference: resnet18 training step on GPU tensors, fp32, batch 64"
$PY - <<'PY'
import time, torch
try:
    import torchvision
    model = torchvision.models.resnet18(num_classes=10).cuda()
except ImportError:
    print("torchvision missing: no reference"); raise SystemExit
opt = torch.optim.AdamW(model.parameters(), 1e-3)
x = torch.randn(64, 3, 224, 224, device="cuda"); y = torch.randint(0, 10, (64,), device="cuda")
def step():
    opt.zero_grad(set_to_none=True)
    torch.nn.functional.cross_entropy(model(x), y).backward(); opt.step()
for _ in range(10): step()
torch.cuda.synchronize(); t = time.time(); n = 50
for _ in range(n): step()
torch.cuda.synchronize()
print(f"pytorch resnet18 train img/s (compute only): {64 * n / (time.time() - t):.1f}")
PY
