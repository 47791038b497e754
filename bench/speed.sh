#!/usr/bin/env bash
# The engine against the PyTorch tutorial loop, side by side in one invocation
# (docs/performance.md has the results and what each number means):
#
#   bench/speed.sh [--threads N] [--scenario frozen|full|all|none] [--gui] [--gui-rounds N]
#                  [--no-build]
#
# 1. Builds finetune-cli in Release (build/release; `cmake --preset release`
#    first when that folder is not configured).
# 2. Once, cached under .cache/bench: an ImageFolder of 600 JPEGs (256x256,
#    3 learnable classes, 480 train / 120 val) and the shared starting weights
#    (a resnet18 with a new 3-class fc, random-initialised: no ImageNet weights
#    offline), saved by Python as a plain state dict that both sides load.
# 3. Scenarios, each run by bench/reference_train.py (torchvision ImageFolder +
#    DataLoader with N worker processes + Adam) and by `finetune-cli train` with
#    the same threads, epochs, batch size (32), learning rate, data and weights:
#      frozen: --freeze backbone, 10 epochs, no augmentation
#      full:   nothing frozen, 2 epochs, light augmentation (random resized
#              crop + flip), plus the compute probe (`finetune-cli probe`)
#              before and after
#    Prints wall time, training images/s, their ratios, both validation
#    accuracies, and peak memory (summed RSS of the process tree).
# 4. --gui: the same full scenario (1 epoch) in finetune-studio (offscreen,
#    build/dev, which must be built) against build/dev's finetune-cli, in
#    alternating rounds (--gui-rounds, default 2): the GUI's overhead.
#
# Benchmarks want a quiet machine: the load average is printed first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS=$(nproc)
SCENARIO=all
GUI=0
GUI_ROUNDS=2
BUILD_IT=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --scenario) SCENARIO="$2"; shift 2 ;;
    --gui) GUI=1; shift ;;
    --gui-rounds) GUI=1; GUI_ROUNDS="$2"; shift 2 ;;
    --no-build) BUILD_IT=0; shift ;;
    *) echo "usage: bench/speed.sh [--threads N] [--scenario frozen|full|all|none] [--gui] [--gui-rounds N] [--no-build]" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
BUILD="$ROOT/build/release"
CLI="$BUILD/app/cli/finetune-cli"
CACHE="$ROOT/.cache/bench"
DATA="$CACHE/data600"
INIT="$CACHE/init_resnet18.pth"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ $BUILD_IT == 1 ]]; then
  [[ -f "$BUILD/build.ninja" ]] || (cd "$ROOT" && cmake --preset release >/dev/null)
  (cd "$ROOT" && flock /tmp/fts-build.lock cmake --build build/release -j2 --target finetune-cli)
fi
mkdir -p "$CACHE"
[[ -d "$DATA/val" ]] || "$PY" "$ROOT/bench/make_bench_data.py" "$DATA"
[[ -f "$INIT" ]] || "$PY" "$ROOT/bench/reference_train.py" --make-init "$INIT" --data "$DATA"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "threads: $THREADS (Python: torch.set_num_threads($THREADS), DataLoader num_workers=$THREADS)"

# measure NAME COMMAND...: runs it under bench/measure.py, output to $WORK/NAME.log.
measure() {
  local name="$1"; shift
  "$PY" "$ROOT/bench/measure.py" "$WORK/$name.measure.json" -- "$@" >"$WORK/$name.log" 2>&1 || {
    echo "$name failed:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1; }
}

# Both sides' common settings: Adam, lr 1e-3, no weight decay, no schedule, seed 0.
engine_args() {  # OUT FREEZE EPOCHS AUGMENT -> ARGS
  ARGS=(train --model resnet18 --weights "$INIT" --data "$DATA/train" --val "$DATA/val"
    --freeze "$2" --epochs "$3" --augment "$4" --batch-size 32 --lr 0.001 --optimizer adam
    --weight-decay 0 --scheduler none --backbone-lr-scale 1 --seed 0 --threads "$THREADS"
    --out "$1")
}

run_scenario() {  # NAME FREEZE EPOCHS AUGMENT
  local name="$1" freeze="$2" epochs="$3" augment="$4"
  echo
  echo "== $name: resnet18 at 224 px, freeze $freeze, $epochs epochs, augment $augment, batch 32 =="
  measure "$name-python" "$PY" "$ROOT/bench/reference_train.py" --data "$DATA" --weights "$INIT" \
    --freeze "$freeze" --epochs "$epochs" --augment "$augment" --batch-size 32 --lr 0.001 \
    --threads "$THREADS" --workers "$THREADS" --seed 0 --json "$WORK/$name-python.json"
  probe() {  # K: the probe, before (1) and after (2) the engine's run, for a busy machine's sake
    [[ "$freeze" == none ]] || return 0
    measure "$name-probe$1" "$CLI" probe --model resnet18 --image-size 224 --batch-size 32 \
      --freeze none --optimizer adam --threads "$THREADS" --steps 8 --json
  }
  engine_args "$WORK/$name-run" "$freeze" "$epochs" "$augment"
  probe 1
  measure "$name-engine" "$CLI" "${ARGS[@]}"
  probe 2
  "$PY" - "$WORK" "$name" <<'PY'
import json, os, sys
work, name = sys.argv[1], sys.argv[2]
load = lambda f: json.load(open(os.path.join(work, f)))
py, pym = load(f"{name}-python.json"), load(f"{name}-python.measure.json")
en, enm = load(f"{name}-run/summary.json"), load(f"{name}-engine.measure.json")
messages = [json.loads(line).get("text", "") for line in open(os.path.join(work, f"{name}-run", "events.jsonl"))
            if json.loads(line).get("type") == "message"]
en_cached = any(m.startswith("feature cache:") for m in messages)
py_epochs = lambda py, en: en["epochs_completed"]
print(f"{'':22}{'Python':>12}{'engine':>12}{'ratio':>10}")
print(f"{'wall time (s)':22}{pym['wall_seconds']:12.1f}{enm['wall_seconds']:12.1f}"
      f"{pym['wall_seconds'] / enm['wall_seconds']:9.2f}x  (Python / engine)")
seen = en["train_images"] * py_epochs(py, en)
print(f"{'images/s, whole run':22}{seen / pym['wall_seconds']:12.1f}{seen / enm['wall_seconds']:12.1f}"
      f"{pym['wall_seconds'] / enm['wall_seconds']:9.2f}x  (train images x epochs / wall time)")
if en_cached:
    print(f"{'images/s, training':22}{py['images_per_second']:12.1f}{'(head)':>12}{'-':>10}   "
          f"(engine: only the head trains, on cached features: {en['images_per_second']:.0f}/s)")
else:
    print(f"{'images/s, training':22}{py['images_per_second']:12.1f}{en['images_per_second']:12.1f}"
          f"{en['images_per_second'] / py['images_per_second']:9.2f}x  (training phases only)")
print(f"{'final val accuracy':22}{py['final_val_accuracy']:12.3f}{en['final_val_accuracy']:12.3f}"
      f"{(en['final_val_accuracy'] - py['final_val_accuracy']) * 100:+9.1f} points")
print(f"{'best val accuracy':22}{py['best_val_accuracy']:12.3f}{en['best_val_accuracy']:12.3f}")
print(f"{'peak RSS, tree (MB)':22}{pym['peak_rss_mb']:12.0f}{enm['peak_rss_mb']:12.0f}"
      f"   (largest single process: {pym['max_rss_mb']:.0f} / {enm['max_rss_mb']:.0f} MB)")
print(f"{'CPU time (s)':22}{pym['cpu_seconds']:12.1f}{enm['cpu_seconds']:12.1f}")
probe_logs = [os.path.join(work, f"{name}-probe{k}.log") for k in (1, 2)]
if all(os.path.exists(p) for p in probe_logs):
    probes = [json.loads(open(p).read().strip().splitlines()[-1]) for p in probe_logs]
    rate = sum(p["images_per_second"] for p in probes) / len(probes)
    print(f"compute probe: {rate:.1f} images/s (mean of {probes[0]['images_per_second']:.1f} and "
          f"{probes[1]['images_per_second']:.1f}: forward + backward + Adam step on tensors in memory, "
          f"{probes[0]['threads']} threads)")
    print(f"pipeline efficiency (training images/s / probe): "
          f"{en['images_per_second'] / rate * 100:.1f} % engine, {py['images_per_second'] / rate * 100:.1f} % Python")
for text in messages:
    if "cache:" in text or "cache is" in text or "caches are" in text:
        print("engine:", text)
PY
}

[[ $SCENARIO == frozen || $SCENARIO == all ]] && run_scenario frozen backbone 10 none
[[ $SCENARIO == full || $SCENARIO == all ]] && run_scenario full none 2 light

if [[ $GUI == 1 ]]; then
  DEV="$ROOT/build/dev"
  echo
  echo "== GUI against CLI (build/dev): the full scenario, 1 epoch, QT_QPA_PLATFORM=offscreen =="
  cat >"$WORK/bench.ftsproj" <<EOF
{"format": "finetune-studio-project", "version": 1,
 "model": {"arch": "resnet18", "weights": "$INIT", "freeze": "none"},
 "data": {"train": "$DATA/train", "validation": "$DATA/val", "valSplit": 0.2, "imageSize": 224, "augment": "light"},
 "training": {"epochs": 1, "batchSize": 32, "lr": 0.001, "backboneLrScale": 1, "optimizer": "adam",
   "momentum": 0.9, "nesterov": false, "weightDecay": 0, "scheduler": "none", "warmupEpochs": 0,
   "stepSize": 0, "stepGamma": 0.1, "seed": "0", "samplePredictions": 8},
 "machine": {"device": "cpu", "threads": $THREADS, "loaderWorkers": 0},
 "output": {"runsDirectory": "$WORK/gui-runs"}}
EOF
  for round in $(seq "$GUI_ROUNDS"); do  # alternating, so drifts in load hit both
    engine_args "$WORK/gui-cli-run$round" none 1 light
    measure "gui-cli$round" "$DEV/app/cli/finetune-cli" "${ARGS[@]}"
    measure "gui-gui$round" env QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$WORK/xdg-config$round" \
      XDG_DATA_HOME="$WORK/xdg-data$round" "$DEV/app/gui/finetune-studio" --autostart \
      --quit-when-done "$WORK/bench.ftsproj"
  done
  "$PY" - "$WORK" "$GUI_ROUNDS" <<'PY'
import glob, json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
print(f"{'round':8}{'':22}{'CLI':>10}{'GUI':>10}{'GUI slower by':>16}")
slower = []
for r in range(1, rounds + 1):
    cli = json.load(open(f"{work}/gui-cli-run{r}/summary.json"))
    gui = json.load(open(glob.glob(f"{work}/xdg-data{r}/**/summary.json", recursive=True)[0]))
    cm, gm = (json.load(open(f"{work}/gui-{k}{r}.measure.json")) for k in ("cli", "gui"))
    slower.append(gui["wall_seconds"] / cli["wall_seconds"] - 1)
    print(f"{r:<8}{'training run (s)':22}{cli['wall_seconds']:10.1f}{gui['wall_seconds']:10.1f}"
          f"{slower[-1] * 100:15.1f}%")
    print(f"{'':8}{'train images/s':22}{cli['images_per_second']:10.1f}{gui['images_per_second']:10.1f}"
          f"{(cli['images_per_second'] / gui['images_per_second'] - 1) * 100:15.1f}%")
    print(f"{'':8}{'process wall (s)':22}{cm['wall_seconds']:10.1f}{gm['wall_seconds']:10.1f}"
          f"{(gm['wall_seconds'] / cm['wall_seconds'] - 1) * 100:15.1f}%")
    print(f"{'':8}{'CPU time (s)':22}{cm['cpu_seconds']:10.1f}{gm['cpu_seconds']:10.1f}")
    print(f"{'':8}{'peak RSS (MB)':22}{cm['peak_rss_mb']:10.0f}{gm['peak_rss_mb']:10.0f}")
    print(f"{'':8}GUI: " + open(f"{work}/gui-gui{r}.log").read().strip().splitlines()[-1])
print(f"GUI slower than CLI (training run), mean of {rounds}: {sum(slower) / len(slower) * 100:.1f} %")
PY
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
