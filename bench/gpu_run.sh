#!/usr/bin/env bash
# The prepared GPU measurement (issue 8): engine vs PyTorch on one machine.
#
#   bench/gpu_run.sh [options]
#
# 1. Builds the engine and finetune-cli against this machine's PyTorch wheel
#    (torch.utils.cmake_prefix_path) in build/gpu: Release, no GUI, no tests,
#    no OpenCV. The header-only dependencies travel in a folder (--deps, or
#    FTS_GPU_DEPS; default .cache/gpu-deps) that a Debian machine prepares:
#      mkdir -p .cache/gpu-deps/include .cache/gpu-deps/share/cmake
#      cp -r /usr/include/nlohmann /usr/include/CLI /usr/include/zlib.h \
#            /usr/include/zconf.h /usr/include/x86_64-linux-gnu/curl .cache/gpu-deps/include/
#      cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 .cache/gpu-deps/share/cmake/
#    (zlib and libcurl headers only; their .so.1 / .so.4 come from the machine.)
# 2. Makes synthetic CIFAR-10 files (bench/gpu_reference.py make-data).
# 3. Runs, per precision (fp32, bf16): the bundled demo (full fine-tune), and
#    a ResNet-18 full fine-tune at --image-size on the synthetic data through
#    finetune-cli, then the same ResNet-18 workload in PyTorch
#    (bench/gpu_reference.py train: data already on the device).
# 4. Prints one table: images/s of each and engine / PyTorch.
#
# Options:
#   --device cuda|cuda:N|cpu   default cuda (cpu: a dry run of the script's logic)
#   --images N        synthetic training+validation images (default 6400)
#   --epochs E        (default 2)        --image-size S   (default 224)
#   --batch-size B    (default 64)       --precisions "fp32 bf16" (default)
#   --max-steps N     PyTorch reference only: stop after N steps (dry runs)
#   --demo-epochs E   demo epochs (default: the demo's own)
#   --cli PATH        use this finetune-cli, build nothing
#   --deps DIR        header-only dependencies (see 1.)
#   --out DIR         logs and run folders (default $OUT or ./gpu-out)
#   --threads N       CPU threads for both sides (default 0: all)
# Environment: FTS_PYTHON_TORCH (default python3) is the Python with the wheel.
#
# A CPU dry run, as tested on the development machine (no GPU there):
#   bench/gpu_run.sh --device cpu --cli build/dev/app/cli/finetune-cli \
#     --images 200 --epochs 1 --image-size 32 --batch-size 16 --demo-epochs 1
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEVICE=cuda IMAGES=6400 EPOCHS=2 SIZE=224 BATCH=64 PRECISIONS="fp32 bf16" MAX_STEPS=0
DEMO_EPOCHS=0 CLI="" THREADS=0
DEPS="${FTS_GPU_DEPS:-$ROOT/.cache/gpu-deps}"
OUTDIR="${OUT:-$PWD/gpu-out}"
PY="${FTS_PYTHON_TORCH:-python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE="$2"; shift 2 ;;
    --images) IMAGES="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --image-size) SIZE="$2"; shift 2 ;;
    --batch-size) BATCH="$2"; shift 2 ;;
    --precisions) PRECISIONS="$2"; shift 2 ;;
    --max-steps) MAX_STEPS="$2"; shift 2 ;;
    --demo-epochs) DEMO_EPOCHS="$2"; shift 2 ;;
    --cli) CLI="$2"; shift 2 ;;
    --deps) DEPS="$2"; shift 2 ;;
    --out) OUTDIR="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "gpu_run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
exec > >(tee "$OUTDIR/log.txt") 2>&1

echo "== machine"
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())" 2>/dev/null \
  || { echo "gpu_run.sh: '$PY' has no torch (set FTS_PYTHON_TORCH)"; exit 1; }

# --- 1. build ------------------------------------------------------------------
if [ -z "$CLI" ]; then
  TORCH_PREFIX="$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)"
  TORCH_ROOT="$(cd "$TORCH_PREFIX/../.." && pwd)"
  # As scripts/build-libtorch2.sh: the wheel's libraries before any system ones.
  LINK_DIRS="$TORCH_ROOT/lib"
  for d in "$TORCH_ROOT"/../nvidia/*/lib; do [ -d "$d" ] && LINK_DIRS="$LINK_DIRS:$(cd "$d" && pwd)"; done
  EXTRA=()
  if [ ! -f /usr/include/zlib.h ]; then
    LIBZ=$(ls /usr/lib/x86_64-linux-gnu/libz.so* /lib/x86_64-linux-gnu/libz.so* 2>/dev/null | head -1)
    EXTRA+=("-DZLIB_INCLUDE_DIR=$DEPS/include" "-DZLIB_LIBRARY=$LIBZ")
  fi
  if [ ! -f /usr/include/curl/curl.h ] && [ ! -f /usr/include/x86_64-linux-gnu/curl/curl.h ]; then
    LIBCURL=$(ls /usr/lib/x86_64-linux-gnu/libcurl.so* /usr/lib64/libcurl.so* 2>/dev/null | head -1)
    EXTRA+=("-DCURL_INCLUDE_DIR=$DEPS/include" "-DCURL_LIBRARY=$LIBCURL")
  fi
  GEN=(); command -v ninja > /dev/null && GEN=(-G Ninja)
  command -v nvcc > /dev/null || export PATH="/usr/local/cuda/bin:$PATH"
  start=$(date +%s)
  cmake -S "$ROOT" -B "$ROOT/build/gpu" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DFTS_BUILD_GUI=OFF -DFTS_WITH_OPENCV=OFF -DFTS_BUILD_TESTS=OFF \
    "-DCMAKE_PREFIX_PATH=$TORCH_PREFIX;$TORCH_ROOT;$DEPS" \
    "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-rpath-link,$LINK_DIRS" "${EXTRA[@]}" \
    > "$OUTDIR/configure.txt" 2>&1 || { tail -30 "$OUTDIR/configure.txt"; exit 1; }
  cmake --build "$ROOT/build/gpu" -j "$(nproc)" --target finetune-cli > "$OUTDIR/build.txt" 2>&1 \
    || { grep -B2 -A8 "error" "$OUTDIR/build.txt" | head -60; exit 1; }
  echo "configure + build: $(( $(date +%s) - start )) s"
  CLI="$ROOT/build/gpu/app/cli/finetune-cli"
fi
"$CLI" --version || exit 1

# --- 2. data -------------------------------------------------------------------
DATA="$OUTDIR/synth"
"$PY" "$ROOT/bench/gpu_reference.py" make-data --out "$DATA" --images "$IMAGES" || exit 1

json_field() {  # json_field FILE KEY: one number or string from a JSON object
  "$PY" -c "import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print('' if v is None else v)" "$1" "$2" 2>/dev/null
}

# --- 3. runs -------------------------------------------------------------------
ROWS=()
for P in $PRECISIONS; do
  echo "== demo, $P, $DEVICE"
  DEMO_ARGS=(demo --mode full --device "$DEVICE" --precision "$P" --threads "$THREADS" --out "$OUTDIR/demo-$P")
  [ "$DEMO_EPOCHS" -gt 0 ] && DEMO_ARGS+=(--epochs "$DEMO_EPOCHS")
  rm -rf "$OUTDIR/demo-$P"
  "$CLI" "${DEMO_ARGS[@]}" 2> "$OUTDIR/demo-$P.err" | tail -3
  if [ -f "$OUTDIR/demo-$P/summary.json" ] && [ "$(json_field "$OUTDIR/demo-$P/summary.json" status)" = completed ]; then
    ROWS+=("demo (full)|$P|$(json_field "$OUTDIR/demo-$P/summary.json" images_per_second)||$(json_field "$OUTDIR/demo-$P/summary.json" final_val_accuracy)|")
  else
    ROWS+=("demo (full)|$P|refused or failed: $(head -c 150 "$OUTDIR/demo-$P.err" | tr '\n' ' ')||||")
  fi

  echo "== resnet18 full fine-tune, $P, $DEVICE, ${SIZE}px, batch $BATCH"
  rm -rf "$OUTDIR/r18-$P"
  "$CLI" train --model resnet18 --data "$DATA" --val-split 0.1 --image-size "$SIZE" \
    --epochs "$EPOCHS" --batch-size "$BATCH" --augment none --optimizer adamw --lr 1e-3 \
    --scheduler none --freeze none --device "$DEVICE" --precision "$P" --threads "$THREADS" \
    --out "$OUTDIR/r18-$P" 2> "$OUTDIR/r18-$P.err" | tail -3
  ENGINE=""
  if [ -f "$OUTDIR/r18-$P/summary.json" ] && [ "$(json_field "$OUTDIR/r18-$P/summary.json" status)" = completed ]; then
    ENGINE=$(json_field "$OUTDIR/r18-$P/summary.json" images_per_second)
    ENGINE_ACC=$(json_field "$OUTDIR/r18-$P/summary.json" final_val_accuracy)
  fi

  echo "== PyTorch reference, $P"
  "$PY" "$ROOT/bench/gpu_reference.py" train --data "$DATA" --device "$DEVICE" --precision "$P" \
    --image-size "$SIZE" --batch-size "$BATCH" --epochs "$EPOCHS" --val-split 0.1 \
    --threads "$THREADS" --max-steps "$MAX_STEPS" > "$OUTDIR/ref-$P.json" 2> "$OUTDIR/ref-$P.err"
  REF=""
  [ -s "$OUTDIR/ref-$P.json" ] && REF=$(json_field "$OUTDIR/ref-$P.json" images_per_second)
  if [ -n "$ENGINE" ] && [ -n "$REF" ]; then
    RATIO=$("$PY" -c "print(f'{$ENGINE / $REF:.2f}')")
    ROWS+=("resnet18 ${SIZE}px b$BATCH|$P|$ENGINE|$REF|$ENGINE_ACC / $(json_field "$OUTDIR/ref-$P.json" val_accuracy)|$RATIO")
  elif [ -n "$ENGINE" ]; then
    ROWS+=("resnet18 ${SIZE}px b$BATCH|$P|$ENGINE|failed: $(tail -c 120 "$OUTDIR/ref-$P.err" | tr '\n' ' ')|$ENGINE_ACC||")
  else
    ROWS+=("resnet18 ${SIZE}px b$BATCH|$P|refused or failed: $(head -c 150 "$OUTDIR/r18-$P.err" | tr '\n' ' ')|$REF|||")
  fi
done

# --- 4. the table ----------------------------------------------------------------
echo
echo "== $DEVICE: training images/s (engine: finetune-cli, whole pipeline; PyTorch: data on the device)"
{
  echo "| workload | precision | engine img/s | PyTorch img/s | val accuracy (engine / PyTorch) | engine / PyTorch |"
  echo "|---|---|---|---|---|---|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r w p e t a q <<< "$r"
    fmt() { "$PY" -c "import sys; v=sys.argv[1]; print(f'{float(v):.1f}' if v.replace('.','',1).isdigit() else v)" "$1"; }
    echo "| $w | $p | $(fmt "$e") | $(fmt "$t") | $a | $q |"
  done
} | tee "$OUTDIR/table.md"
