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

# Build dependencies (DESIGN.md) and, for tests, Debian's PyTorch (fixtures
# and parity checks are made with it).
PACKAGES=(
  cmake ninja-build g++ pkg-config zlib1g-dev libcurl4-openssl-dev
  libtorch-dev libopencv-dev nlohmann-json3-dev libcli11-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  python3 python3-pip python3-numpy python3-pil python3-torch python3-torchvision
  xvfb xauth
  dpkg-dev file desktop-file-utils appstream
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

# demo: the main job. Build (Release) and open the desktop app on the bundled
# demo (a small pretrained backbone and a Fashion-MNIST subset, offline):
# press Start, or it starts by itself with FTS_AUTOSTART=1. Without a display
# the CLI runs the same demo and prints the confusion matrix and summary.
cmake --preset release
cmake --build --preset release -j "$JOBS"
GUI="$ROOT/build/release/app/gui/finetune-studio"
CLI="$ROOT/build/release/app/cli/finetune-cli"
"$CLI" --version
if [ -x "$GUI" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  echo "== opening Finetune Studio on the bundled demo: press Start (Ctrl+R)"
  ARGS=(--demo)
  if [ "${FTS_AUTOSTART:-0}" = 1 ]; then ARGS+=(--autostart); fi
  exec "$GUI" "${ARGS[@]}"
fi
echo "== no display (DISPLAY / WAYLAND_DISPLAY unset): running the same demo in the CLI instead"
RUN="$ROOT/build/release/demo-run"
rm -rf "$RUN"
"$CLI" demo --out "$RUN"
echo "== confusion matrix (rows: true class, columns: predicted)"
column -s, -t < "$RUN/confusion.csv" 2>/dev/null || cat "$RUN/confusion.csv"
echo "== $RUN/summary.json"
cat "$RUN/summary.json"
