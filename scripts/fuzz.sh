#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/fuzz_<name>.cpp) with clang and
# ASan + UBSan in build/fuzz, then fuzzes each one in turn.
#
#   scripts/fuzz.sh [seconds-per-harness] [harness...]
#
# Default: 60 s each, all harnesses. Each run starts from the committed seed
# corpus (tests/fuzz/corpus/<name>) plus what earlier runs found (kept in
# build/fuzz/corpus/<name>, not committed). A crash, leak, timeout or
# out-of-memory input is written to tests/fuzz/crashes/<name>/ (commit it
# after fixing the reader: CI replays it), and the script exits non-zero.
# Per harness it prints the executions, the seconds and the corpus size; the
# logs are build/fuzz/logs/<name>.log.
#
# (finetune-cli is configured, since cmake parts add sources to it, but not built.)
# Environment: FTS_FUZZ_CXX (default clang++-14), FTS_FUZZ_JOBS (build jobs,
# default nproc), FTS_FUZZ_NICE=1 (nice -n 19), FTS_FUZZ_RSS_MB (default 2048:
# an input that makes the reader allocate more than this is a finding).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/fuzz"
SECONDS_EACH="${1:-60}"
[ $# -gt 0 ] && shift
HARNESSES=("$@")
if [ "${#HARNESSES[@]}" -eq 0 ]; then
  HARNESSES=(safetensors torchcheckpoint unpickler zipreader idx cifar projectfile)
fi
CXX="${FTS_FUZZ_CXX:-clang++-14}"
JOBS="${FTS_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
RSS_MB="${FTS_FUZZ_RSS_MB:-2048}"
NICE=()
if [ "${FTS_FUZZ_NICE:-0}" = "1" ]; then NICE=(nice -n 19); fi

# LibTorch, Qt and zlib are not instrumented; only odr reports across
# libtorch's own shared objects are silenced.
export ASAN_OPTIONS="detect_odr_violation=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export OMP_NUM_THREADS=1

SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined"
cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_CXX_FLAGS="$SAN -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DFTS_FUZZ=ON -DFTS_BUILD_GUI=OFF -DFTS_BUILD_TESTS=OFF -DFTS_BUILD_CLI=ON \
  -DFTS_WITH_OPENCV=OFF >/dev/null
TARGETS=()
for h in "${HARNESSES[@]}"; do TARGETS+=("fuzz_$h"); done
"${NICE[@]}" cmake --build "$BUILD" -j"$JOBS" --target "${TARGETS[@]}"

mkdir -p "$BUILD/logs"
status=0
printf '%-16s %12s %8s %8s %8s %s\n' harness executions seconds cpu_s corpus result
for h in "${HARNESSES[@]}"; do
  work="$BUILD/corpus/$h"
  crashes="$ROOT/tests/fuzz/crashes/$h"
  mkdir -p "$work" "$crashes"
  log="$BUILD/logs/$h.log"
  set +e
  # -timeout: one input taking 10 s is a hang; -max_len: the seeds are small,
  # larger inputs only slow the search.
  # The harness's CPU seconds: user + system time of this shell's waited-for
  # children (/proc/$$/stat fields 16-17), before and after.
  start_wall=$(date +%s)
  start_cpu=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  "${NICE[@]}" "$BUILD/fuzz_$h" "$work" "$ROOT/tests/fuzz/corpus/$h" \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb="$RSS_MB" -max_len=65536 \
    -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  end_cpu=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  cpu=$(( (end_cpu - start_cpu) / $(getconf CLK_TCK) ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  secs=$(( $(date +%s) - start_wall ))
  size=$(ls "$work" | wc -l)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FOUND (rc $rc): $(grep -m1 -E 'ERROR: |SUMMARY: |deadly signal|out-of-memory|timeout' "$log" || true)"
    status=1
  fi
  printf '%-16s %12s %8s %8s %8s %s\n' "$h" "${runs:-0}" "${secs:-?}" "$cpu" "$size" "$result"
done
exit $status
