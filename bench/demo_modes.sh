#!/usr/bin/env bash
# The demo's lesson, measured: each mode of `finetune-cli demo` (head, full,
# scratch) with three seeds on the shipped data; prints each run's best
# validation accuracy and wall time, and the mean per mode.
#   bench/demo_modes.sh [BUILD_DIR]     (default: build/release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
CLI="$BUILD/app/cli/finetune-cli"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
python3 - "$CLI" "$OUT" <<'PY'
import json, subprocess, sys, time
cli, out = sys.argv[1], sys.argv[2]
print(f"{'mode':8} {'seed':>5} {'best_acc':>9} {'wall_s':>7}")
means = {}
for mode in ("head", "full", "scratch"):
    accs = []
    for seed in (1, 2, 3):
        run = f"{out}/{mode}-{seed}"
        start = time.monotonic()
        subprocess.run([cli, "demo", "--mode", mode, "--seed", str(seed), "--out", run],
                       check=True, stdout=subprocess.DEVNULL)
        wall = time.monotonic() - start
        acc = json.load(open(f"{run}/summary.json"))["best_val_accuracy"]
        accs.append(acc)
        print(f"{mode:8} {seed:>5} {acc:9.3f} {wall:7.1f}", flush=True)
    means[mode] = sum(accs) / len(accs)
    print(f"{mode:8} {'mean':>5} {means[mode]:9.3f}", flush=True)
print(f"full - scratch = {means['full'] - means['scratch']:+.3f}; head - scratch = {means['head'] - means['scratch']:+.3f}")
PY
