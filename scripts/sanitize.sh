#!/usr/bin/env bash
# Finetune Studio under AddressSanitizer + UndefinedBehaviorSanitizer (gcc).
#
#   scripts/sanitize.sh               configure build/asan, build everything, run ctest
#   scripts/sanitize.sh build [tgt]   configure and build only (all, or the given targets)
#   scripts/sanitize.sh test [args]   run ctest in build/asan only (args go to ctest)
#
# Environment: FTS_JOBS (default: nproc), FTS_NICE=1 to build with nice -n 19.
#
# Only our code is instrumented; LibTorch, Qt and OpenCV are Debian's
# uninstrumented shared libraries. Hence:
#  - -fno-sanitize=vptr: UBSan's vptr check needs RTTI of every polymorphic
#    class it sees, and LibTorch's classes cross our frames without it being
#    instrumented (false reports on c10::intrusive_ptr targets).
#  - scripts/sanitizers/lsan.supp: leaks reported inside third-party libraries
#    only (each one is documented in that file).
#  - ASAN_OPTIONS=detect_odr_violation=0: libtorch_cpu and libtorch share some
#    globals across their two DSOs (not our code).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/asan"
MODE="${1:-all}"
[ $# -gt 0 ] && shift
JOBS="${FTS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
NICE=()
if [ "${FTS_NICE:-0}" = "1" ]; then NICE=(nice -n 19); fi

export ASAN_OPTIONS="detect_odr_violation=0:detect_leaks=1:abort_on_error=0:halt_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"

configure_and_build() {
  cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=g++ \
    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DCMAKE_CXX_FLAGS="-fno-sanitize=vptr -fno-sanitize-recover=undefined" \
    -DFTS_SANITIZE=ON -DFTS_BUILD_TESTS=ON -DFTS_BUILD_GUI=ON
  if [ $# -gt 0 ]; then
    "${NICE[@]}" cmake --build "$BUILD" -j"$JOBS" --target "$@"
  else
    "${NICE[@]}" cmake --build "$BUILD" -j"$JOBS"
  fi
}

run_tests() {
  cd "$BUILD"
  # translations_zh_CN_complete is a string-coverage check, not code.
  ctest --output-on-failure -E 'translations_zh_CN_complete' "$@"
}

case "$MODE" in
  all) configure_and_build; run_tests "$@" ;;
  build) configure_and_build "$@" ;;
  test) run_tests "$@" ;;
  *) echo "usage: $0 [all|build|test [ctest args]]" >&2; exit 2 ;;
esac
