#!/usr/bin/env bash
# Finetune Studio: set up a fresh Debian 12 / Ubuntu machine and run something.
#
#   scripts/setup.sh demo   install what is missing, build (Release), run the main job
#   scripts/setup.sh test   install what is missing, build (dev preset), run the test suite
#
# Installs only what is missing (apt-get; uses sudo when not root), so a second
# run goes straight to the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-}"
case "$MODE" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

JOBS="${FTS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build dependencies (DESIGN.md) and, for tests and the interim demo, Debian's
# PyTorch (fixtures and parity checks are made with it).
PACKAGES=(
  cmake ninja-build g++ pkg-config
  libtorch-dev libopencv-dev nlohmann-json3-dev libcli11-dev
  qt6-base-dev
  python3 python3-pip python3-numpy python3-pil python3-torch python3-torchvision
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The independent safetensors implementation (PyPI) that the interop tests
# compare against, kept inside the checkout so the system Python is untouched.
install_pydeps() {
  local dir="$ROOT/.cache/pydeps"
  if ! PYTHONPATH="$dir" /usr/bin/python3 -c "import safetensors.torch" 2>/dev/null; then
    echo "== installing the safetensors Python package into $dir"
    /usr/bin/python3 -m pip install --quiet --disable-pip-version-check --no-deps \
      --target "$dir" safetensors
  fi
}

install_missing
cd "$ROOT"

if [ "$MODE" = test ]; then
  install_pydeps
  cmake --preset dev
  cmake --build --preset dev -j "$JOBS"
  ctest --preset dev -j "$JOBS"
  exit 0
fi

# demo: the main job. Until the bundled demo and the GUI exist, run the CLI on
# something real: a torchvision ResNet-18 state dict written by PyTorch,
# inspected and used for prediction by the engine.
cmake --preset release
cmake --build --preset release -j "$JOBS"
CLI="$ROOT/build/release/app/cli/finetune-cli"
WORK="$ROOT/build/release/demo"
mkdir -p "$WORK"
/usr/bin/python3 - "$WORK" <<'PY'
import sys, torch, torchvision, numpy as np
from PIL import Image
out = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=10)   # random init: no network here
torch.save(model.state_dict(), f"{out}/resnet18-torchvision.pth")
y, x = np.mgrid[0:256, 0:256]
img = np.stack([x, y, (x + y) // 2], axis=-1).astype(np.uint8)
Image.fromarray(img).save(f"{out}/gradient.png")
PY
"$CLI" --version
"$CLI" models
"$CLI" inspect "$WORK/resnet18-torchvision.pth" | head -8
echo "   ..."
"$CLI" predict --model resnet18 --weights "$WORK/resnet18-torchvision.pth" --topk 3 "$WORK/gradient.png"
