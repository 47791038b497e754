#!/usr/bin/env bash
# Build and test Finetune Studio's engine, CLI and tests against LibTorch 2.x
# taken from a PyPI torch wheel (CUDA or CPU), as the second supported build
# beside Debian's LibTorch 1.13 (docs/building.md).
#
#   scripts/build-libtorch2.sh [BUILD_DIR]      default build/torch2
#
# Environment:
#   FTS_PYTHON_TORCH  python with the torch wheel (default: python3 on PATH)
#   FTS_JOBS          parallel build jobs (default 1: the build is large)
#   FTS_NICE          nice level for the build and tests (default 19)
#   FTS_TEST_REGEX    only the tests matching this regex (ctest -R)
#   FTS_SKIP_TESTS=1  configure and build only
#   FTS_FIXTURES_FROM another build's tests/fixtures (e.g. build/dev/tests/fixtures):
#                     copied instead of generated again (the fixtures come from
#                     Debian's Python torch either way); saves minutes on 2 cores
#
# The GUI is off (-DFTS_BUILD_GUI=OFF). Tests are on when Qt 6 Test is found;
# their fixtures are made by FTS_PYTHON (Debian's /usr/bin/python3 with torch
# 1.13 + torchvision), independent of the LibTorch being tested.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build/torch2}"
PY="${FTS_PYTHON_TORCH:-python3}"
JOBS="${FTS_JOBS:-1}"
NICE="${FTS_NICE:-19}"
FIXTURES_FROM=""
if [ -n "${FTS_FIXTURES_FROM:-}" ]; then
  FIXTURES_FROM="$(cd "$FTS_FIXTURES_FROM" && pwd)" || exit 1
fi

TORCH_PREFIX="$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)" || {
  echo "build-libtorch2: '$PY' has no torch; install a torch wheel or set FTS_PYTHON_TORCH" >&2
  exit 1
}
# The wheel's own directory first in the prefix path: TorchConfig.cmake finds
# libtorch.so / libc10.so with find_library, which would otherwise take a
# system LibTorch (Debian's /usr/lib/x86_64-linux-gnu/libtorch.so) before the
# wheel's torch/lib, mixing two versions in one binary.
TORCH_ROOT="$(cd "$TORCH_PREFIX/../.." && pwd)"
echo "== LibTorch from $("$PY" -c 'import torch; print(torch.__version__)' 2>/dev/null) at $TORCH_PREFIX"

# Qt 6 Test present? Then the test suite is built too.
TESTS=OFF
# (--find-package writes a CMakeFiles/ folder into the current directory.)
if (cd "$(mktemp -d)" && cmake --find-package -DNAME=Qt6Test -DCOMPILER_ID=GNU -DLANGUAGE=CXX -DMODE=EXIST) > /dev/null 2>&1 \
   || [ -f /usr/lib/x86_64-linux-gnu/cmake/Qt6Test/Qt6TestConfig.cmake ] \
   || [ -n "$(find /usr/lib /usr/local/lib /opt -path '*cmake/Qt6Test/Qt6TestConfig.cmake' 2>/dev/null | head -1)" ]; then
  TESTS=ON
fi
[ "${FTS_SKIP_TESTS:-0}" = 1 ] && TESTS=OFF
GEN=()
command -v ninja > /dev/null && GEN=(-G Ninja)

# A CUDA wheel's CMake config looks for the CUDA toolkit (nvcc); a default
# location helps when it is not on PATH.
if ! command -v nvcc > /dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi

# A CUDA wheel's libtorch_cuda.so finds its NCCL, cuDNN, cuBLAS... in the
# wheel's nvidia/*/lib (its RPATH); the linker must look there first too, or
# it takes an older libnccl.so.2 from the CUDA toolkit and reports undefined
# nccl* symbols.
LINK_DIRS="$TORCH_ROOT/lib"
for d in "$TORCH_ROOT"/../nvidia/*/lib; do
  [ -d "$d" ] && LINK_DIRS="$LINK_DIRS:$(cd "$d" && pwd)"
done
LINK_FLAGS="-Wl,-rpath-link,$LINK_DIRS"

echo "== configure $BUILD (tests $TESTS)"
cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_PREFIX_PATH=$TORCH_PREFIX;$TORCH_ROOT" \
  -DFTS_BUILD_GUI=OFF \
  "-DCMAKE_EXE_LINKER_FLAGS=$LINK_FLAGS" \
  "-DCMAKE_SHARED_LINKER_FLAGS=$LINK_FLAGS" \
  -DFTS_BUILD_TESTS=$TESTS

echo "== build (-j$JOBS, nice $NICE)"
nice -n "$NICE" cmake --build "$BUILD" -j "$JOBS"

"$BUILD/app/cli/finetune-cli" --version

if [ "$TESTS" = ON ]; then
  echo "== tests"
  cd "$BUILD"
  args=(--output-on-failure -j "$JOBS")
  [ -n "${FTS_TEST_REGEX:-}" ] && args+=(-R "$FTS_TEST_REGEX")
  if [ -n "$FIXTURES_FROM" ]; then
    mkdir -p tests/fixtures
    cp -a "$FIXTURES_FROM"/. tests/fixtures/
    args+=(-FA '.*')  # no fixture-setup tests: they are in place
  fi
  nice -n "$NICE" ctest "${args[@]}"
fi
